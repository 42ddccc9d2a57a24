//! What a credential is: the seven authentication types of the Bot Accounts
//! screen, each described once as data. The dialog's fields, validation,
//! storage and the export file are all driven by these tables, so a type's
//! fields are listed in exactly one place (in the export file's order).

use crate::secret::Secret;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Url,
    Secret,
    Checkbox,
    Select,
    Multiselect,
    File,
    Json,
}

#[derive(Debug)]
pub struct FieldDef {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub secret: bool,
    /// 1: asked in the dialog's first step; 2: in the second.
    pub step: u8,
    pub placeholder: Option<&'static str>,
    pub help: Option<&'static str>,
    pub options: &'static [(&'static str, &'static str)],
    pub default: Default,
    /// File extensions accepted (lowercase, with the dot).
    pub accept: &'static [&'static str],
    pub max_bytes: Option<usize>,
    /// Shown and stored only when another field has this value.
    pub when: Option<(&'static str, &'static str)>,
    /// A select whose older values (free text before it became a choice)
    /// are kept: an import takes any text, an edit keeps the one stored;
    /// a new value must be one of `options`.
    pub older_values: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Default {
    None,
    Bool(bool),
    Text(&'static str),
    List(&'static [&'static str]),
}

impl Default {
    pub fn to_json(self) -> Value {
        match self {
            Default::None => Value::Null,
            Default::Bool(b) => Value::Bool(b),
            Default::Text(t) => Value::String(t.into()),
            Default::List(l) => Value::Array(l.iter().map(|s| Value::String((*s).into())).collect()),
        }
    }
}

#[derive(Debug)]
pub struct TypeDef {
    pub id: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub once_per_organization: bool,
    pub fields: &'static [FieldDef],
}

impl TypeDef {
    pub fn field(&self, name: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether `field` applies given the other values (its `when` holds).
    pub fn applies(&self, field: &FieldDef, values: &Map<String, Value>) -> bool {
        match field.when {
            None => true,
            Some((other, wanted)) => values.get(other).and_then(Value::as_str) == Some(wanted),
        }
    }
}

/// Largest certificate file accepted (PKCS#12 and JKS stores are a few KiB).
pub const MAX_CERTIFICATE_BYTES: usize = 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_URL_CHARS: usize = 2048;

const fn field(name: &'static str, label: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef {
        name,
        label,
        kind,
        required: true,
        secret: matches!(kind, FieldKind::Secret),
        step: 2,
        placeholder: None,
        help: None,
        options: &[],
        default: Default::None,
        accept: &[],
        max_bytes: None,
        when: None,
        older_values: false,
    }
}

const AUTH_CODE: Option<(&str, &str)> = Some(("grant_type", "authorization_code"));

/// The NLU engines of the Bot Accounts screen. Before they were a choice the
/// provider was free text; such older values still import (see `older_values`).
pub const NLU_PROVIDERS: &[(&str, &str)] = &[("Google Dialogflow", "Google Dialogflow"), ("IBM Watson", "IBM Watson")];

pub static TYPES: &[TypeDef] = &[
    TypeDef {
        id: "consumer_authentication",
        label: "Consumer Authentication",
        description: "The bot sends the consumer an authentication link; the token the consumer obtains lets the bot call APIs on their behalf.",
        once_per_organization: false,
        fields: &[FieldDef {
            placeholder: Some("https://accounts.example.com/authorize?client_id=…&response_type=code&redirect_uri=…"),
            help: Some("The provider's authorize endpoint, sent to the consumer as a plain link."),
            ..field("authentication_url", "Authentication URL", FieldKind::Url)
        }],
    },
    TypeDef {
        id: "consumer_pre_authentication",
        label: "Consumer Pre-Authentication",
        description: "Uses the token of a consumer who authenticated before the conversation; no fields. One per organization.",
        once_per_organization: true,
        fields: &[],
    },
    TypeDef {
        id: "oauth2",
        label: "OAuth 2.0",
        description: "The bot obtains tokens from an OAuth 2.0 authorization server.",
        once_per_organization: false,
        fields: &[
            FieldDef {
                step: 1,
                options: &[("authorization_code", "Authorization Code"), ("client_credentials", "Client Credentials")],
                default: Default::Text("authorization_code"),
                ..field("grant_type", "Grant Type", FieldKind::Select)
            },
            field("client_id", "Client ID", FieldKind::Text),
            field("client_secret", "Client Secret", FieldKind::Secret),
            FieldDef {
                required: false,
                placeholder: Some("openid profile"),
                ..field("scope", "Scope", FieldKind::Text)
            },
            FieldDef {
                when: AUTH_CODE,
                placeholder: Some("https://auth.example.com/authorize"),
                ..field("auth_url", "Auth URL", FieldKind::Url)
            },
            FieldDef { placeholder: Some("https://auth.example.com/token"), ..field("token_url", "Token URL", FieldKind::Url) },
            FieldDef {
                required: false,
                when: AUTH_CODE,
                default: Default::Bool(false),
                help: Some("Proof Key for Code Exchange"),
                ..field("pkce", "PKCE", FieldKind::Checkbox)
            },
        ],
    },
    TypeDef {
        id: "mutual_authentication",
        label: "Mutual Authentication",
        description: "The bot presents a client certificate (mutual TLS) when it calls the API.",
        once_per_organization: false,
        fields: &[
            FieldDef {
                secret: true,
                accept: &[".pfx", ".p12", ".jks"],
                max_bytes: Some(MAX_CERTIFICATE_BYTES),
                help: Some("A .pfx, .p12 or .jks file, at most 1 MiB."),
                ..field("key_certificate", "Key Certificate", FieldKind::File)
            },
            FieldDef { required: false, ..field("key_certificate_password", "Key Certificate Password", FieldKind::Secret) },
            FieldDef {
                required: false,
                accept: &[".crt", ".cer", ".pem"],
                max_bytes: Some(MAX_CERTIFICATE_BYTES),
                help: Some("A .crt, .cer or .pem file, at most 1 MiB."),
                ..field("trust_certificate", "Trust Certificate", FieldKind::File)
            },
            FieldDef { required: false, ..field("trust_certificate_password", "Trust Certificate Password", FieldKind::Secret) },
            FieldDef {
                options: &[("TLSv1.3", "TLS 1.3"), ("TLSv1.2", "TLS 1.2"), ("TLSv1.1", "TLS 1.1"), ("TLSv1", "TLS 1.0")],
                default: Default::List(&["TLSv1.2", "TLSv1.1"]),
                ..field("protocols", "Cryptographic Protocols", FieldKind::Multiselect)
            },
        ],
    },
    TypeDef {
        id: "basic_authentication",
        label: "Basic Authentication",
        description: "A user name and password sent with each API call.",
        once_per_organization: false,
        fields: &[field("username", "User Name", FieldKind::Text), field("password", "User Password", FieldKind::Secret)],
    },
    TypeDef {
        id: "access_token",
        label: "Access Token",
        description: "A fixed token sent with each API call.",
        once_per_organization: false,
        fields: &[
            field("access_token", "Access Token", FieldKind::Secret),
            FieldDef { placeholder: Some("Bearer"), ..field("token_type", "Token Type", FieldKind::Text) },
        ],
    },
    TypeDef {
        id: "nlu",
        label: "Third-party NLU",
        description: "Credentials of a third-party NLU engine the bot uses to understand messages.",
        once_per_organization: false,
        fields: &[
            FieldDef {
                // As the Bot Accounts screen offers them; the value is the label, as files always wrote it.
                options: NLU_PROVIDERS,
                older_values: true,
                ..field("provider", "NLU Provider", FieldKind::Select)
            },
            FieldDef {
                secret: true,
                placeholder: Some("{ \"type\": \"service_account\", … }"),
                help: Some("A JSON object, as the provider gives it."),
                ..field("credentials", "Credentials", FieldKind::Json)
            },
        ],
    },
];

pub fn type_def(id: &str) -> Option<&'static TypeDef> {
    TYPES.iter().find(|t| t.id == id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub credential_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A credential as stored, without its secret values.
#[derive(Debug, Clone)]
pub struct Credential {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    pub kind: &'static TypeDef,
    /// Non-secret field values, normalized, only fields that apply.
    pub fields: Map<String, Value>,
    /// Names of the secret fields that have a stored value.
    pub stored_secrets: BTreeSet<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A validated credential ready to be written.
#[derive(Debug, Clone)]
pub struct CredentialInput {
    pub name: String,
    pub kind: &'static TypeDef,
    pub fields: Map<String, Value>,
    /// Secret fields that apply: `Some` sets the value, `None` keeps what is
    /// stored (or leaves it missing).
    pub secrets: BTreeMap<&'static str, Option<Secret>>,
}

impl CredentialInput {
    /// Whether it carries a secret value to store (which needs the key).
    pub fn has_new_secrets(&self) -> bool {
        self.secrets.values().any(Option::is_some)
    }
}

impl Credential {
    /// Required secrets that apply but have no stored value.
    pub fn missing_secrets(&self) -> Vec<&'static str> {
        missing_secrets(self.kind, &self.fields, &self.stored_secrets)
    }

    /// Short non-secret text for the list.
    pub fn summary(&self) -> String {
        let text = |k: &str| self.fields.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let host =
            |k: &str| url::Url::parse(&text(k)).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
        match self.kind.id {
            "consumer_authentication" => host("authentication_url"),
            "consumer_pre_authentication" => "Consumer's own token".into(),
            "oauth2" => {
                let grant = if text("grant_type") == "client_credentials" {
                    "Client Credentials"
                } else {
                    "Authorization Code"
                };
                format!("{grant} · {}", host("token_url"))
            }
            "mutual_authentication" => {
                // The options' labels (TLS 1.2), as the dialog shows them.
                let chosen = self.fields.get("protocols").and_then(Value::as_array).cloned().unwrap_or_default();
                let labels = self.kind.field("protocols").map_or(&[][..], |f| f.options);
                labels
                    .iter()
                    .filter(|(v, _)| chosen.iter().any(|c| c == v))
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            "basic_authentication" => text("username"),
            "access_token" => text("token_type"),
            "nlu" => text("provider"),
            _ => String::new(),
        }
    }
}

/// Required secrets of `kind` that apply to `fields` but are not `stored`.
pub fn missing_secrets(
    kind: &'static TypeDef,
    fields: &Map<String, Value>,
    stored: &BTreeSet<String>,
) -> Vec<&'static str> {
    kind.fields
        .iter()
        .filter(|f| f.secret && f.required && kind.applies(f, fields))
        .filter(|f| !stored.contains(f.name))
        .map(|f| f.name)
        .collect()
}

/// The key two names are compared by: trimmed and case-folded.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A row of the Credentials list: nothing secret in it.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialSummary {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub type_id: &'static str,
    pub type_label: &'static str,
    pub summary: String,
    pub needs_secret: bool,
    /// A secret value is stored (sealed).
    pub has_secrets: bool,
    pub created_at: String,
    pub updated_at: String,
    /// OAuth 2.0 only: whether it is authorized (filled by the store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Box<crate::store::Authorization>>,
}

impl From<&Credential> for CredentialSummary {
    fn from(c: &Credential) -> Self {
        CredentialSummary {
            id: c.id,
            org_id: c.org_id,
            name: c.name.clone(),
            type_id: c.kind.id,
            type_label: c.kind.label,
            summary: c.summary(),
            needs_secret: !c.missing_secrets().is_empty(),
            has_secrets: !c.stored_secrets.is_empty(),
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
            authorization: None,
        }
    }
}

/// An import file read and checked, ready to import: what `transfer` reads
/// and the store applies.
#[derive(Debug)]
pub struct ImportFile {
    pub organizations: Vec<OrgImport>,
}

#[derive(Debug)]
pub struct OrgImport {
    pub path: String,
    pub name: String,
    pub credentials: Vec<CredImport>,
}

#[derive(Debug)]
pub struct CredImport {
    pub path: String,
    pub input: CredentialInput,
}

impl ImportFile {
    pub fn credential_count(&self) -> usize {
        self.organizations.iter().map(|o| o.credentials.len()).sum()
    }
}
