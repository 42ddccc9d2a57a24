//! The compact index the Credentials list's windows are cut from, one per
//! organization: every row's summary, the lower-cased text Search looks in,
//! each row's place in the base order (name key, then id, as
//! `list_credentials`: the last tie-break) and the sort orders, each made on
//! first use. Built in one read transaction.

use super::credentials::StoredRow;
use super::listing::{ListQuery, ListWindow, SortDir, SortKey};
use crate::collate;
use crate::error::Result;
use crate::model::{name_key, CredentialSummary, TYPES};
use rusqlite::Connection;
use std::cell::{OnceCell, RefCell};
use std::cmp::Reverse;
use std::collections::HashMap;

/// Which rows a search matched: one bit per row.
struct Matches {
    bits: Vec<u64>,
    count: usize,
}

impl Matches {
    fn has(&self, row: u32) -> bool {
        self.bits[row as usize / 64] & (1 << (row % 64)) != 0
    }
}

pub(super) struct OrgIndex {
    pub org_id: i64,
    rows: Vec<CredentialSummary>,
    /// "name\ntype\nsummary" of each row, lower-cased, each followed by a NUL
    /// (a query never holds one, so no match spans two rows).
    hay: Vec<u8>,
    /// Where each row's text starts in `hay`.
    starts: Vec<u32>,
    /// Each row's place among the names in the list's order (equal names share it).
    name_rank: Vec<u32>,
    /// Each row's place in the base order.
    base_pos: Vec<u32>,
    details_rank: OnceCell<Vec<u32>>,
    updated_ms: OnceCell<Vec<i64>>,
    /// Rows in each sort key's order, ascending and descending.
    orders: [OnceCell<Vec<u32>>; 8],
    /// The last search and what it matched, for the windows that follow it.
    last_search: RefCell<Option<(String, Matches)>>,
}

/// Dense ranks of `texts` in the list's order: equal texts get the same rank.
fn ranks<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u32> {
    dense_ranks(&texts.map(collate::key).collect::<Vec<_>>())
}

/// Dense ranks of collation keys: equal keys get the same rank.
fn dense_ranks<K: Ord>(keys: &[K]) -> Vec<u32> {
    let mut by_key: Vec<u32> = (0..keys.len() as u32).collect();
    by_key.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut rank = vec![0; keys.len()];
    let mut current = 0;
    for (i, &row) in by_key.iter().enumerate() {
        if i > 0 && keys[row as usize] != keys[by_key[i - 1] as usize] {
            current += 1;
        }
        rank[row as usize] = current;
    }
    rank
}

/// One credential made ready for the index.
struct Prepared {
    name_key: String,
    name_order: Vec<u32>,
    text: String,
    row: CredentialSummary,
}

/// A stored row with the names of its stored secrets.
struct Listed {
    row: StoredRow,
    secrets: std::collections::BTreeSet<String>,
}

/// The summary, search text and name key of one row (what costs most:
/// parsing URLs, lower-casing).
fn prepare(listed: Listed) -> Result<Prepared> {
    let mut c = listed.row.parse()?;
    drop(listed.row);
    c.stored_secrets = listed.secrets;
    let row = CredentialSummary::from(&c);
    drop(c);
    let name_key = name_key(&row.name);
    let text =
        format!("{}\n{}\n{}", row.name.to_lowercase(), row.type_label.to_lowercase(), row.summary.to_lowercase());
    Ok(Prepared { name_order: collate::key(&name_key), name_key, text, row })
}

/// `Date.parse(text) || 0` for the RFC 3339 timestamps the store writes.
fn epoch_ms(text: &str) -> i64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_or(0, |t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// Reads an organization's credential rows and which secrets each has stored.
fn read_rows(conn: &Connection, org_id: i64) -> Result<Vec<Listed>> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) FROM credentials WHERE organization_id = ?1")?
        .query_row([org_id], |r| r.get(0))?;
    let largest: i64 =
        conn.prepare_cached("SELECT ifnull(max(id), 0) FROM credentials")?.query_row([], |r| r.get(0))?;
    // An organization that holds much of the table is read straight through
    // it (in order on disk); a small one through its index.
    let sweep = count * 8 >= largest;
    let columns = StoredRow::COLUMNS;
    let sql = if sweep {
        format!("SELECT {columns} FROM credentials c NOT INDEXED WHERE c.organization_id = ?1")
    } else {
        format!("SELECT {columns} FROM credentials c WHERE c.organization_id = ?1")
    };
    let mut list: Vec<Listed> = conn
        .prepare_cached(&sql)?
        .query_map([org_id], |r| Ok(Listed { row: StoredRow::read(r)?, secrets: Default::default() }))?
        .collect::<rusqlite::Result<_>>()?;
    let at: HashMap<i64, usize> = list.iter().enumerate().map(|(i, c)| (c.row.id, i)).collect();
    let mut stmt;
    let mut rows = if sweep {
        stmt = conn.prepare_cached("SELECT credential_id, field FROM credential_secrets")?;
        stmt.query([])?
    } else {
        stmt = conn.prepare_cached(
            "SELECT s.credential_id, s.field FROM credential_secrets s
             JOIN credentials c ON c.id = s.credential_id WHERE c.organization_id = ?1",
        )?;
        stmt.query([org_id])?
    };
    while let Some(row) = rows.next()? {
        if let Some(&i) = at.get(&row.get::<_, i64>(0)?) {
            list[i].secrets.insert(row.get(1)?);
        }
    }
    Ok(list)
}

impl OrgIndex {
    pub fn build(conn: &Connection, org_id: i64) -> Result<OrgIndex> {
        let tx = conn.unchecked_transaction()?;
        let stored = read_rows(&tx, org_id)?;
        tx.commit()?;
        // On every core: the summaries are most of the work. Each stored row
        // is dropped as soon as it is prepared.
        let prepared = crate::par::map_owned(stored, prepare).into_iter().collect::<Result<Vec<_>>>()?;
        // The base order (by name key, then id) and the names' ranks, side by side.
        let (base, name_rank) = std::thread::scope(|scope| {
            let names =
                scope.spawn(|| dense_ranks(&prepared.iter().map(|p| p.name_order.as_slice()).collect::<Vec<_>>()));
            let mut base: Vec<u32> = (0..prepared.len() as u32).collect();
            base.sort_unstable_by(|&a, &b| {
                let (a, b) = (&prepared[a as usize], &prepared[b as usize]);
                a.name_key.cmp(&b.name_key).then(a.row.id.cmp(&b.row.id))
            });
            (base, names.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        let mut base_pos = vec![0; base.len()];
        for (pos, &row) in base.iter().enumerate() {
            base_pos[row as usize] = pos as u32;
        }
        let mut hay = Vec::with_capacity(prepared.iter().map(|p| p.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(prepared.len());
        let mut rows = Vec::with_capacity(prepared.len());
        for p in prepared {
            starts.push(hay.len() as u32);
            hay.extend_from_slice(p.text.as_bytes());
            hay.push(0);
            rows.push(p.row);
        }
        Ok(OrgIndex {
            org_id,
            rows,
            hay,
            starts,
            name_rank,
            base_pos,
            details_rank: OnceCell::new(),
            updated_ms: OnceCell::new(),
            orders: Default::default(),
            last_search: RefCell::new(None),
        })
    }

    /// The rows in the order of `sort` and `dir`: by that column, ties by
    /// name, then in the base order (whichever the direction, as the
    /// window's stable sort did).
    fn order(&self, sort: SortKey, dir: SortDir) -> &[u32] {
        let slot = sort as usize * 2 + dir as usize;
        self.orders[slot].get_or_init(|| {
            let n = self.rows.len();
            let primary: Vec<i64> = match sort {
                SortKey::Name => vec![0; n],
                SortKey::Type => {
                    let labels = ranks(TYPES.iter().map(|t| t.label));
                    let of: HashMap<&str, i64> = TYPES.iter().zip(labels).map(|(t, r)| (t.id, i64::from(r))).collect();
                    self.rows.iter().map(|r| of.get(r.type_id).copied().unwrap_or(i64::MAX)).collect()
                }
                SortKey::Details => self
                    .details_rank
                    .get_or_init(|| ranks(self.rows.iter().map(|r| r.summary.as_str())))
                    .iter()
                    .map(|&r| i64::from(r))
                    .collect(),
                SortKey::Updated => {
                    self.updated_ms.get_or_init(|| self.rows.iter().map(|r| epoch_ms(&r.updated_at)).collect()).clone()
                }
            };
            let mut order: Vec<u32> = (0..n as u32).collect();
            let at = |i: u32| (primary[i as usize], self.name_rank[i as usize]);
            let base = |i: u32| self.base_pos[i as usize];
            match dir {
                SortDir::Asc => order.sort_unstable_by_key(|&i| (at(i), base(i))),
                SortDir::Desc => order.sort_unstable_by_key(|&i| (Reverse(at(i)), base(i))),
            }
            order
        })
    }

    fn search(&self, query: &str) -> Matches {
        let n = self.rows.len();
        let mut found = Matches { bits: vec![0; n.div_ceil(64)], count: 0 };
        if query.contains('\0') {
            return found;
        }
        let finder = memchr::memmem::Finder::new(query.as_bytes());
        let mut from = 0;
        while let Some(hit) = finder.find(&self.hay[from..]) {
            let row = self.starts.partition_point(|&s| s as usize <= from + hit) - 1;
            found.bits[row / 64] |= 1 << (row % 64);
            found.count += 1;
            match self.starts.get(row + 1) {
                Some(&next) => from = next as usize,
                None => break,
            }
        }
        found
    }

    /// The window `q` asks for (see [`ListQuery`]).
    pub fn window(&self, q: &ListQuery) -> ListWindow {
        let order = self.order(q.sort, q.dir);
        let query = collate::search_query(&q.search);
        let mut last = self.last_search.borrow_mut();
        if !query.is_empty() && last.as_ref().is_none_or(|(s, _)| *s != query) {
            *last = Some((query.clone(), self.search(&query)));
        }
        let matches = last.as_ref().filter(|_| !query.is_empty()).map(|(_, m)| m);
        let keep = |row: u32| matches.is_none_or(|m| m.has(row));
        let matched = matches.map_or(self.rows.len(), |m| m.count);
        let focus_index = q.focus.and_then(|id| {
            let row = self.rows.iter().position(|r| r.id == id)? as u32;
            if !keep(row) {
                return None;
            }
            Some(order.iter().take_while(|&&r| r != row).filter(|&&r| keep(r)).count())
        });
        let offset = match focus_index {
            Some(i) => i.saturating_sub(q.limit / 2).min(matched.saturating_sub(q.limit)),
            None => q.offset,
        };
        let rows = order
            .iter()
            .filter(|&&r| keep(r))
            .skip(offset)
            .take(q.limit)
            .map(|&r| self.rows[r as usize].clone())
            .collect();
        ListWindow { total: self.rows.len(), matched, offset, rows, focus_index }
    }
}
