//! `org add|rename|delete`: the organization picker's actions, from the
//! terminal. Names are checked by the core as the window's are.

use crate::commands::output;
use crate::prompt;
use crate::table::{count, quoted};
use crate::usage::Failure;
use bot_credentials_core::error::{Error, Problem, Result};
use bot_credentials_core::store::Store;
use std::io::Write;

/// A problem with a name the user typed names that name (`organization
/// name "  ": must not be empty`), as `org add` always has.
fn about_name(e: Error, name: &str) -> Error {
    match e {
        Error::Invalid(problems) => Error::Invalid(
            problems.into_iter().map(|p| Problem::new(format!("organization name {name:?}"), p.message)).collect(),
        ),
        other => other,
    }
}

pub fn add(store: &mut Store, name: &str, out: &mut dyn Write) -> Result<()> {
    let org = store.create_org(name).map_err(|e| about_name(e, name))?;
    writeln!(out, "Added organization {}", quoted(&org.name)).map_err(output)
}

pub fn rename(store: &mut Store, old: &str, new: &str, out: &mut dyn Write) -> Result<()> {
    let org = store.org_by_name(old)?;
    let renamed = store.rename_org(org.id, new).map_err(|e| about_name(e, new))?;
    writeln!(out, "Renamed organization {} to {}", quoted(&org.name), quoted(&renamed.name)).map_err(output)
}

/// Deletes the organization and every credential in it, after asking.
pub fn delete(store: &mut Store, name: &str, yes: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let org = store.org_by_name(name)?;
    let held = count(usize::try_from(org.credential_count).unwrap_or(0), "credential");
    prompt::confirm(&format!("Delete organization {} and its {held}?", quoted(&org.name)), yes)?;
    let gone = store.delete_org(org.id)?;
    writeln!(
        out,
        "Deleted organization {} and its {}",
        quoted(&gone.name),
        count(gone.credentials.len(), "credential")
    )
    .map_err(output)?;
    Ok(())
}
