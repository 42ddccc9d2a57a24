// Runs before the page paints (a classic script in <head>): puts the theme
// chosen in the Theme switch (System, Light or Dark; js/theme.js keeps it)
// on <html data-theme>, so the first frame is already in the right colors.
(function () {
  var choice = null;
  try { choice = window.localStorage.getItem('bot-credentials.theme'); } catch (e) { choice = null; }
  if (choice !== 'light' && choice !== 'dark') choice = 'system';
  var dark = choice === 'dark'
    || (choice === 'system' && !!window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
  document.documentElement.setAttribute('data-theme-choice', choice);
}());
