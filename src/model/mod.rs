//! The settings model: the merged raw tree with origins ([`tree`]), how Kibana builds it from
//! files, Docker env and keystore ([`load`]), and the typed view the checks read ([`settings`]).

pub mod connector;
pub mod load;
pub mod settings;
pub mod tree;
