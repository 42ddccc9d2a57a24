// The short guides of empty places (a fresh database's picker, an
// organization without credentials): numbered steps, each with the button
// that does it. A list for assistive technology (role=list), drawn without
// <li> so that the picker's and the list's rows stay the only list items.

import { el } from '../dom.js';

/**
 * @param {string} prefix   ids of the step titles: `${prefix}-${n}`
 * @param {Array<{ title: string, text: string, action: Element }>} steps
 */
export function guideSteps(prefix, steps) {
  return el('div', { class: 'guide-steps', role: 'list', 'aria-label': 'Getting started' },
    steps.map((step, i) => {
      const titleId = `${prefix}-${i + 1}`;
      return el('div', { class: 'guide-step', role: 'listitem', 'aria-labelledby': titleId },
        el('span', { class: 'guide-number', 'aria-hidden': 'true' }, String(i + 1)),
        el('div', { class: 'guide-text' },
          el('h3', { class: 'guide-title', id: titleId }, step.title),
          el('p', { class: 'guide-help' }, step.text)),
        el('div', { class: 'guide-action' }, step.action));
    }));
}
