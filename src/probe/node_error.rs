//! Node's `err.code` for a failed request step, as Kibana's connector test shows it
//! (`error calling webhook, request failed: [CODE] message`). One enum, so checks match on
//! variants rather than on strings.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::certs::verdict::{Rejection, VerifyError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeError {
    /// `ENOTFOUND`: getaddrinfo found no such name, or no address for it.
    NotFound,
    /// `EAI_AGAIN`: the resolver failed or timed out.
    EaiAgain,
    /// `ECONNREFUSED`: nothing listens on the port.
    ConnRefused,
    /// `ETIMEDOUT`: connect timed out.
    TimedOut,
    /// `EHOSTUNREACH`.
    HostUnreach,
    /// `ENETUNREACH`.
    NetUnreach,
    /// `ECONNRESET`: the peer closed the connection.
    ConnReset,
    /// `EADDRNOTAVAIL`.
    AddrNotAvail,
    /// `EPROTO`: OpenSSL failed the handshake.
    Proto,
    /// `ECONNABORTED`: a step did not finish in time.
    ConnAborted,
    /// `HPE_INVALID_CONSTANT`: llhttp could not read the proxy's answer as HTTP.
    HpeInvalidConstant,
    /// `ERR_INVALID_ARG_VALUE`: the host is no name TLS can be spoken to.
    InvalidArgValue,
    /// A connect error libuv names in a way we do not model (`UNKNOWN`).
    Unknown,
    /// The proxy answered CONNECT with this status (https-proxy-agent's failure), shown as
    /// `HTTP <status>`.
    ProxyStatus(u16),
    /// OpenSSL's verdict on the presented chain (`SELF_SIGNED_CERT_IN_CHAIN`, …).
    Verify(VerifyError),
    /// `ERR_TLS_CERT_ALTNAME_INVALID`: Node's `checkServerIdentity` rejected the name.
    AltnameInvalid,
}

impl NodeError {
    /// The code as Node prints it.
    pub(crate) fn code(self) -> String {
        let code = match self {
            NodeError::NotFound => "ENOTFOUND",
            NodeError::EaiAgain => "EAI_AGAIN",
            NodeError::ConnRefused => "ECONNREFUSED",
            NodeError::TimedOut => "ETIMEDOUT",
            NodeError::HostUnreach => "EHOSTUNREACH",
            NodeError::NetUnreach => "ENETUNREACH",
            NodeError::ConnReset => "ECONNRESET",
            NodeError::AddrNotAvail => "EADDRNOTAVAIL",
            NodeError::Proto => "EPROTO",
            NodeError::ConnAborted => "ECONNABORTED",
            NodeError::HpeInvalidConstant => "HPE_INVALID_CONSTANT",
            NodeError::InvalidArgValue => "ERR_INVALID_ARG_VALUE",
            NodeError::Unknown => "UNKNOWN",
            NodeError::ProxyStatus(status) => return format!("HTTP {status}"),
            NodeError::Verify(e) => e.code(),
            NodeError::AltnameInvalid => "ERR_TLS_CERT_ALTNAME_INVALID",
        };
        code.to_string()
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl Serialize for NodeError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl From<Rejection> for NodeError {
    fn from(r: Rejection) -> NodeError {
        match r {
            Rejection::Verify(e) => NodeError::Verify(e),
            Rejection::AltnameInvalid => NodeError::AltnameInvalid,
        }
    }
}
