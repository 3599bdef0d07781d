//! The integration tests, one binary (one link) with a module per area. They run the real
//! binary on fixtures and real peers; `support` has the shared helpers, `net` the loopback
//! peers, `emulator` a Kibana that follows the API spec.

mod emulator;
mod net;
mod support;

mod api;
mod cli;
mod containers;
mod corpus;
mod diagnose;
mod docs;
mod formats;
mod hardening;
mod honest;
mod hostile;
mod kibana;
mod layers;
mod live;
mod properties;
mod proxy_tls;
mod rules;
mod schema;
mod settings;
