//! A problem the webhook validator found, for the `connector` check module to turn into a finding.

use crate::source::Location;

/// What kind of problem, so the check module can name the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// The request body: `name`, `connector_type_id`, unknown top-level keys.
    Body,
    /// `config.url` missing, not a string, or not a URL.
    Url,
    /// A config key the version does not know, or a value of the wrong type or enum.
    Config,
    /// Secrets keys, types, or the combination rule.
    Secrets,
    /// `""` (or blanks) anywhere in config or secrets.
    EmptyValue,
    /// `authType` while `hasAuth: false`.
    AuthTypeWithoutAuth,
    /// `certType: ssl-pfx` while `xpack.actions.webhook.ssl.pfx.enabled: false`.
    PfxDisabled,
    /// OAuth2 client credentials missing fields, or `additionalFields` not a JSON object.
    OAuth2,
    /// `config.ca` that does not decode to a PEM certificate.
    Ca,
    /// Authentication that is configured but cannot send anything.
    NoCredentials,
    /// Credentials in `config.headers`, which are stored and shown in clear.
    CredentialInHeaders,
}

/// One thing Kibana would reject or do differently than the spec suggests.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub(crate) kind: ProblemKind,
    /// `config.method`, `secrets`, `name`…
    pub(crate) field: String,
    pub(crate) at: Option<Location>,
    pub(crate) message: String,
    pub(crate) kibana: Option<String>,
    pub(crate) help: String,
    /// A caveat: what about this is not verified.
    pub(crate) note: Option<String>,
    /// The behaviour is not verified for this version: report it as a warning.
    pub(crate) unverified: bool,
    /// A second place that matters (e.g. the kibana.yml setting that causes it).
    pub(crate) also: Option<(Location, &'static str)>,
}

impl Problem {
    pub(super) fn new(
        kind: ProblemKind,
        field: impl Into<String>,
        at: Option<Location>,
        message: String,
    ) -> Problem {
        Problem {
            kind,
            field: field.into(),
            at,
            message,
            kibana: None,
            help: String::new(),
            note: None,
            unverified: false,
            also: None,
        }
    }

    pub(super) fn kibana(mut self, k: String) -> Problem {
        self.kibana = Some(k);
        self
    }

    pub(super) fn help(mut self, h: impl Into<String>) -> Problem {
        self.help = h.into();
        self
    }

    pub(super) fn note(mut self, n: impl Into<String>) -> Problem {
        self.note = Some(n.into());
        self
    }

    pub(super) fn unverified(mut self) -> Problem {
        self.unverified = true;
        self
    }
}
