//! TLS judgement without I/O: certificates summarised (cert.rs), the CA set Kibana's Node.js
//! process trusts (trust.rs), and what Node/OpenSSL would say about a presented chain
//! (verdict.rs). The network probes hand their captured chains to these functions.

pub(crate) mod accept_any;
pub(crate) mod cert;
pub(crate) mod trust;
pub(crate) mod verdict;
