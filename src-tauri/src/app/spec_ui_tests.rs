//! The dialog is built from the `credential_types` spec (issue #12: the NLU
//! Provider became a choice): the spec the page receives offers the two
//! engines as a select, and the page's code takes a select's choices from
//! the spec alone, never from a list of its own.

use super::tests::{call, memory_app};
use serde_json::json;

#[test]
fn the_page_gets_the_nlu_provider_as_a_select_of_the_two_engines() {
    let (_app, w) = memory_app();
    let types = call(&w, "credential_types", json!({})).expect("types");
    let nlu = types.as_array().expect("types").iter().find(|t| t["id"] == "nlu").expect("nlu").clone();
    let provider =
        nlu["fields"].as_array().expect("fields").iter().find(|f| f["name"] == "provider").expect("provider");
    assert_eq!(provider["label"], "NLU Provider");
    assert_eq!(provider["kind"], "select");
    assert_eq!(provider["required"], true);
    assert_eq!(
        provider["options"],
        json!([{"value": "Google Dialogflow", "label": "Google Dialogflow"}, {"value": "IBM Watson", "label": "IBM Watson"}])
    );
    assert_eq!(provider["older_values"], true);
}

/// The `case 'select'` branch of `renderField` in ui/js/views/fields.js.
fn select_branch() -> &'static str {
    let fields = include_str!("../../../ui/js/views/fields.js");
    let start = fields.find("case 'select': {").expect("fields.js renders selects");
    let rest = &fields[start..];
    &rest[..rest.find("break;").expect("the branch ends")]
}

#[test]
fn the_dialog_builds_a_select_from_the_spec_only() {
    let branch = select_branch();
    assert!(branch.contains("el('select'"), "a <select>: {branch}");
    assert!(branch.contains("spec.options"), "its options are the spec's: {branch}");
    assert!(branch.contains("o.value") && branch.contains("o.label"), "each option's value and label: {branch}");
    assert!(branch.contains("spec.older_values"), "an older value is shown only where the spec keeps them: {branch}");
    // The dialog's code names no engine: the choices can only come from the spec.
    let dialog = [include_str!("../../../ui/js/views/fields.js"), include_str!("../../../ui/js/views/dialog.js")];
    for text in dialog {
        for engine in ["Dialogflow", "Watson"] {
            assert!(!text.contains(engine), "the dialog hard-codes {engine}");
        }
    }
}
