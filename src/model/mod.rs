//! The settings model: the merged raw tree with origins ([`tree`]), how Kibana builds it from
//! files, Docker env and keystore ([`load`]), and connector specs ([`connector`]).

pub(crate) mod connector;
pub(crate) mod load;
pub(crate) mod tree;
