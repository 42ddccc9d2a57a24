//! The Credentials list as windows: search, sort and count where the data
//! is, and hand the window only the rows it shows.
//!
//! Search matches a row whose name, type label or details (summary) holds
//! the query, trimmed and lower-cased as JavaScript does; sorting follows
//! [`crate::collate`] (case and accents ignored, numbers by value), by the
//! chosen column, ties by name, then by name key and id in either direction.
//!
//! Windows are cut from an [`OrgIndex`] kept per organization and reused
//! until the data changes: a write through this connection (its change
//! count) or another program's commit (`PRAGMA data_version`). Before an
//! organization's index exists, the first window by name with no search
//! comes from the names alone (the `(organization_id, name_key)` index),
//! so a large organization opens at once; the index is built on the next
//! call.

use super::credentials::{credential_from_row, secret_names, SELECT_CREDENTIAL};
use super::listing_index::OrgIndex;
use super::Store;
use crate::collate;
use crate::error::Result;
use crate::model::CredentialSummary;
use serde::{Deserialize, Serialize};
use std::collections::BinaryHeap;

/// The column the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Name = 0,
    /// The type label.
    Type = 1,
    /// The summary.
    Details = 2,
    /// `updated_at`, as a time.
    Updated = 3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortDir {
    #[default]
    Asc = 0,
    Desc = 1,
}

/// The most rows one window holds.
pub const MAX_WINDOW: usize = 500;

/// Which rows of an organization's list to send.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// What Search holds ("" = every row).
    pub search: String,
    pub sort: SortKey,
    pub dir: SortDir,
    /// Index of the first row wanted among the matched rows.
    pub offset: usize,
    /// How many rows (at most [`MAX_WINDOW`]).
    pub limit: usize,
    /// A credential to find: when it matches, the window is the one around it.
    pub focus: Option<i64>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery { search: String::new(), sort: SortKey::Name, dir: SortDir::Asc, offset: 0, limit: 100, focus: None }
    }
}

/// Rows `offset..offset + rows.len()` of the matched rows, in order.
#[derive(Debug, Clone, Serialize)]
pub struct ListWindow {
    /// Credentials in the organization.
    pub total: usize,
    /// Of those, the ones the search matches (`total` without a search).
    pub matched: usize,
    pub offset: usize,
    pub rows: Vec<CredentialSummary>,
    /// Where the `focus` credential is among the matched rows; `null` when
    /// none was asked for or it does not match (or no longer exists).
    pub focus_index: Option<usize>,
}

/// The indexes of the organizations listed lately, and the state of the
/// database they were built from.
#[derive(Default)]
pub(super) struct ListCache {
    /// `PRAGMA data_version` and this connection's total changes.
    stamp: Option<(i64, u64)>,
    /// Most recently used last.
    orgs: Vec<OrgIndex>,
}

/// How many organizations' indexes are kept.
const KEPT: usize = 3;

impl Store {
    /// One window of the organization's list (see the module's doc).
    pub fn list_window(&self, org_id: i64, query: &ListQuery) -> Result<ListWindow> {
        self.ensure_org(org_id)?;
        let mut q = query.clone();
        q.limit = q.limit.min(MAX_WINDOW);
        let stamp = (
            self.conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get::<_, i64>(0))?,
            self.conn.total_changes(),
        );
        let mut cache = self.listing.borrow_mut();
        if cache.stamp != Some(stamp) {
            cache.orgs.clear();
            cache.stamp = Some(stamp);
        }
        let at = match cache.orgs.iter().position(|i| i.org_id == org_id) {
            Some(at) => at,
            None if names_only(&q) => return self.first_window_from_names(org_id, &q),
            None => {
                if cache.orgs.len() >= KEPT {
                    cache.orgs.remove(0);
                }
                cache.orgs.push(OrgIndex::build(&self.conn, org_id)?);
                cache.orgs.len() - 1
            }
        };
        let index = cache.orgs.remove(at);
        let mut window = index.window(&q);
        cache.orgs.push(index);
        super::tokens::fill(&self.conn, &mut window.rows)?;
        Ok(window)
    }

    /// The top rows by name without an index: the organization's name keys
    /// in one pass over their index, keeping the best `offset + limit`.
    fn first_window_from_names(&self, org_id: i64, q: &ListQuery) -> Result<ListWindow> {
        let want = q.offset + q.limit;
        let desc = q.dir == SortDir::Desc;
        let mut best: BinaryHeap<Candidate> = BinaryHeap::with_capacity(want + 1);
        let mut total = 0;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name_key FROM credentials WHERE organization_id = ?1 ORDER BY name_key, id")?;
        let mut rows = stmt.query([org_id])?;
        while let Some(row) = rows.next()? {
            let pos = total;
            total += 1;
            let name = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            // Rows come by position, so one equal to the worst kept is worse: only a better one is kept.
            let keep = match best.peek() {
                Some(worst) if best.len() >= want => {
                    let order = collate::compare_to_key(name, &worst.key);
                    if desc {
                        order.is_gt()
                    } else {
                        order.is_lt()
                    }
                }
                _ => true,
            };
            if keep {
                best.push(Candidate { key: collate::key(name), pos, id: row.get(0)?, desc });
                if best.len() > want {
                    best.pop();
                }
            }
        }
        drop(rows);
        let mut get = self.conn.prepare_cached(&format!("{SELECT_CREDENTIAL} WHERE id = ?1"))?;
        let mut out = Vec::with_capacity(q.limit);
        for c in best.into_sorted_vec().into_iter().skip(q.offset) {
            let mut credential = get.query_row([c.id], credential_from_row)?;
            credential.stored_secrets = secret_names(&self.conn, c.id)?;
            out.push(CredentialSummary::from(&credential));
        }
        super::tokens::fill(&self.conn, &mut out)?;
        Ok(ListWindow { total, matched: total, offset: q.offset, rows: out, focus_index: None })
    }
}

/// Whether the names alone answer `q`: the first window by name, no search.
fn names_only(q: &ListQuery) -> bool {
    q.sort == SortKey::Name && q.focus.is_none() && q.offset == 0 && collate::search_query(&q.search).is_empty()
}

/// A row kept for the names-only window; the greatest is the worst kept.
struct Candidate {
    key: Vec<u32>,
    /// Place in the base order (name key, id): the last tie-break.
    pos: usize,
    id: i64,
    desc: bool,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let by_name = if self.desc { other.key.cmp(&self.key) } else { self.key.cmp(&other.key) };
        by_name.then(self.pos.cmp(&other.pos))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Candidate {}
