//! The credential types as the dialog sees them (`credential_types`), made
//! from the model's tables so the window never hard-codes a field.

use crate::model::{FieldDef, FieldKind, TypeDef, TYPES};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize)]
pub struct TypeSpec {
    pub id: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub once_per_organization: bool,
    pub step1: Vec<FieldSpec>,
    pub fields: Vec<FieldSpec>,
}

#[derive(Debug, Serialize)]
pub struct OptionSpec {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct When {
    pub field: &'static str,
    pub equals: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub secret: bool,
    pub placeholder: Option<&'static str>,
    pub help: Option<&'static str>,
    pub options: Option<Vec<OptionSpec>>,
    pub default: Value,
    pub accept: Option<String>,
    pub max_bytes: Option<usize>,
    pub when: Option<When>,
    /// A select that keeps an older value outside `options` (the dialog
    /// shows it as one more choice, marked as older).
    pub older_values: bool,
}

impl From<&FieldDef> for FieldSpec {
    fn from(f: &FieldDef) -> Self {
        FieldSpec {
            name: f.name,
            label: f.label,
            kind: f.kind,
            required: f.required,
            secret: f.secret,
            placeholder: f.placeholder,
            help: f.help,
            options: (!f.options.is_empty())
                .then(|| f.options.iter().map(|(value, label)| OptionSpec { value, label }).collect()),
            default: f.default.to_json(),
            accept: (!f.accept.is_empty()).then(|| f.accept.join(",")),
            max_bytes: f.max_bytes,
            when: f.when.map(|(field, equals)| When { field, equals }),
            older_values: f.older_values,
        }
    }
}

impl From<&TypeDef> for TypeSpec {
    fn from(t: &TypeDef) -> Self {
        let pick = |step: u8| t.fields.iter().filter(|f| f.step == step).map(FieldSpec::from).collect();
        TypeSpec {
            id: t.id,
            label: t.label,
            description: t.description,
            once_per_organization: t.once_per_organization,
            step1: pick(1),
            fields: pick(2),
        }
    }
}

pub fn credential_types() -> Vec<TypeSpec> {
    TYPES.iter().map(TypeSpec::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_of_the_product_is_offered_with_its_label() {
        let labels: Vec<_> = credential_types().iter().map(|t| t.label).collect();
        assert_eq!(
            labels,
            [
                "Consumer Authentication",
                "Consumer Pre-Authentication",
                "OAuth 2.0",
                "Mutual Authentication",
                "Basic Authentication",
                "Access Token",
                "Third-party NLU"
            ]
        );
    }

    #[test]
    fn oauth_asks_the_grant_type_in_step_one_and_pre_auth_has_no_step_two() {
        let types = credential_types();
        let oauth = types.iter().find(|t| t.id == "oauth2").expect("oauth2");
        assert_eq!(oauth.step1.iter().map(|f| f.name).collect::<Vec<_>>(), ["grant_type"]);
        let pkce = oauth.fields.iter().find(|f| f.name == "pkce").expect("pkce");
        assert_eq!(pkce.when.as_ref().map(|w| w.equals), Some("authorization_code"));
        let pre = types.iter().find(|t| t.id == "consumer_pre_authentication").expect("pre");
        assert!(pre.fields.is_empty() && pre.once_per_organization);
        let mutual = types.iter().find(|t| t.id == "mutual_authentication").expect("mutual");
        let protocols = mutual.fields.iter().find(|f| f.name == "protocols").expect("protocols");
        assert_eq!(protocols.default, serde_json::json!(["TLSv1.2", "TLSv1.1"]));
    }

    #[test]
    fn the_nlu_provider_is_a_choice_of_the_two_engines_of_the_product() {
        let types = credential_types();
        let nlu = types.iter().find(|t| t.id == "nlu").expect("nlu");
        let provider = nlu.fields.iter().find(|f| f.name == "provider").expect("provider");
        assert_eq!((provider.label, provider.kind, provider.required), ("NLU Provider", FieldKind::Select, true));
        let options: Vec<(&str, &str)> =
            provider.options.as_ref().expect("options").iter().map(|o| (o.value, o.label)).collect();
        assert_eq!(options, [("Google Dialogflow", "Google Dialogflow"), ("IBM Watson", "IBM Watson")]);
        assert!(provider.older_values, "older files' free-text providers are kept");
        assert_eq!(provider.default, Value::Null, "no engine is chosen for the user");
        let others = types.iter().flat_map(|t| t.step1.iter().chain(&t.fields)).filter(|f| f.older_values);
        assert_eq!(others.map(|f| f.name).collect::<Vec<_>>(), ["provider"]);
        let json = serde_json::to_value(provider).expect("json");
        assert_eq!(json["kind"], "select");
        assert_eq!(json["older_values"], true);
        assert_eq!(json["options"][1], serde_json::json!({"value": "IBM Watson", "label": "IBM Watson"}));
    }
}
