//! Reading typed wire structs from the element tree and writing them back.
//!
//! Every wire struct is declared with [`wire_struct!`], listing its elements in
//! schema order with their occurrence (`req`, `opt`, `many`, `list[item]`).
//! XML input must follow that order (an `xsd:sequence`); JSON input is matched
//! by name, as JSON objects are unordered.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::ApiError;
use super::tree::{Body, Node};

/// Decoding context: which wire form the tree came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Xml,
    Json,
}

/// A value that can be one element of the tree.
pub(crate) trait Wire: Sized {
    fn to_node(&self, name: &str) -> Node;
    fn from_node(node: &Node, form: Form) -> Result<Self, ApiError>;
}

pub(crate) fn invalid_child(parent: &str, child: &str) -> ApiError {
    ApiError::Schema(format!(
        "The element '{parent}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' has invalid child element '{child}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'."
    ))
}

pub(crate) fn incomplete(parent: &str, expected: &str) -> ApiError {
    ApiError::Schema(format!(
        "The element '{parent}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' has incomplete content. List of possible elements expected: '{expected}' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'."
    ))
}

pub(crate) fn invalid_value(name: &str, value: &str, datatype: &str) -> ApiError {
    let shown: String = if name.to_ascii_lowercase().contains("cardnumber") || name == "cardCode" {
        "***".into()
    } else {
        value.chars().take(40).collect()
    };
    ApiError::Schema(format!(
        "The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:{name}' element is invalid - The value '{shown}' is invalid according to its datatype '{datatype}'."
    ))
}

/// Walks the children of one element, field by field.
pub(crate) struct Fields<'a> {
    parent: &'a str,
    nodes: &'a [Node],
    used: Vec<bool>,
    pos: usize,
    form: Form,
    ignore: &'static [&'static str],
}

impl<'a> Fields<'a> {
    pub fn new(
        node: &'a Node,
        form: Form,
        ignore: &'static [&'static str],
    ) -> Result<Self, ApiError> {
        let nodes = match &node.body {
            Body::Children(c) => c.as_slice(),
            Body::Text(t) if t.trim().is_empty() => &[],
            Body::Text(_) => {
                return Err(ApiError::Schema(format!(
                    "The element '{}' cannot contain text. Only elements are allowed.",
                    node.name
                )));
            }
        };
        Ok(Fields {
            parent: &node.name,
            nodes,
            used: vec![false; nodes.len()],
            pos: 0,
            form,
            ignore,
        })
    }

    fn skip_ignored(&mut self) {
        while self.pos < self.nodes.len()
            && self.ignore.contains(&self.nodes[self.pos].name.as_str())
        {
            self.used[self.pos] = true;
            self.pos += 1;
        }
    }

    /// Takes the next element if it is named `name` (XML: in order; JSON: anywhere).
    fn take_one(&mut self, name: &str) -> Option<&'a Node> {
        match self.form {
            Form::Xml => {
                self.skip_ignored();
                let node = self.nodes.get(self.pos)?;
                if node.name == name {
                    self.used[self.pos] = true;
                    self.pos += 1;
                    Some(node)
                } else {
                    None
                }
            }
            Form::Json => {
                let i = self
                    .nodes
                    .iter()
                    .enumerate()
                    .position(|(i, n)| !self.used[i] && n.name == name)?;
                self.used[i] = true;
                Some(&self.nodes[i])
            }
        }
    }

    pub fn req<T: Wire>(&mut self, name: &str) -> Result<T, ApiError> {
        match self.take_one(name) {
            Some(node) => T::from_node(node, self.form),
            None => Err(incomplete(self.parent, name)),
        }
    }

    pub fn opt<T: Wire>(&mut self, name: &str) -> Result<Option<T>, ApiError> {
        self.take_one(name)
            .map(|n| T::from_node(n, self.form))
            .transpose()
    }

    pub fn many<T: Wire>(&mut self, name: &str) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        while let Some(node) = self.take_one(name) {
            out.push(T::from_node(node, self.form)?);
        }
        Ok(out)
    }

    /// An `ArrayOfX` wrapper `<name><item/>…</name>`; in JSON also the bare
    /// array form `"name": [..]`.
    pub fn list<T: Wire>(&mut self, name: &str, item: &str) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        let mut seen_wrapper = false;
        while let Some(node) = self.take_one(name) {
            match (&node.body, self.form) {
                (Body::Text(_), Form::Json) => out.push(T::from_node(node, self.form)?),
                (Body::Children(c), Form::Json)
                    if !c.is_empty() && c.iter().all(|n| n.name == name) =>
                {
                    for n in c {
                        out.push(T::from_node(n, self.form)?);
                    }
                }
                (Body::Children(c), Form::Json)
                    if !c.is_empty() && c.iter().all(|n| n.name != item) =>
                {
                    // An array of objects: each node is one item.
                    out.push(T::from_node(node, self.form)?);
                }
                _ => {
                    if seen_wrapper && self.form == Form::Xml {
                        return Err(invalid_child(self.parent, name));
                    }
                    seen_wrapper = true;
                    let mut inner = Fields::new(node, self.form, &[])?;
                    out.extend(inner.many::<T>(item)?);
                    inner.finish()?;
                }
            }
        }
        Ok(out)
    }

    /// Fails on any element no field consumed.
    pub fn finish(mut self) -> Result<(), ApiError> {
        if self.form == Form::Xml {
            self.skip_ignored();
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if !self.used[i] && !self.ignore.contains(&node.name.as_str()) {
                return Err(invalid_child(self.parent, &node.name));
            }
        }
        Ok(())
    }
}

/// Collects the children of one element while encoding.
pub(crate) struct Out(pub Vec<Node>);

impl Out {
    pub fn req<T: Wire>(&mut self, name: &str, v: &T) {
        self.0.push(v.to_node(name));
    }
    pub fn opt<T: Wire>(&mut self, name: &str, v: &Option<T>) {
        if let Some(v) = v {
            self.0.push(v.to_node(name));
        }
    }
    pub fn many<T: Wire>(&mut self, name: &str, v: &[T]) {
        for item in v {
            let mut node = item.to_node(name);
            node.repeated = true;
            self.0.push(node);
        }
    }
    pub fn list<T: Wire>(&mut self, name: &str, item: &str, v: &[T], always: bool) {
        if v.is_empty() && !always {
            return;
        }
        let mut node = Node::parent(name, v.iter().map(|i| i.to_node(item)).collect());
        node.flatten = true;
        self.0.push(node);
    }
}

// ------------------------------------------------------------- leaf types

fn leaf(node: &Node) -> Result<&str, ApiError> {
    node.as_text().ok_or_else(|| {
        ApiError::Schema(format!(
            "The element '{}' cannot contain child elements. Only text is allowed.",
            node.name
        ))
    })
}

impl Wire for String {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.clone())
    }
    fn from_node(node: &Node, _: Form) -> Result<Self, ApiError> {
        leaf(node).map(str::to_owned)
    }
}

impl Wire for Decimal {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.to_string())
    }
    fn from_node(node: &Node, _: Form) -> Result<Self, ApiError> {
        let t = leaf(node)?.trim();
        // xsd:decimal: digits with an optional sign and point; no exponent.
        let ok = !t.is_empty()
            && t.trim_start_matches(['-', '+'])
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            && t.chars().filter(|&c| c == '.').count() <= 1;
        if !ok {
            return Err(invalid_value(
                &node.name,
                t,
                "http://www.w3.org/2001/XMLSchema:decimal",
            ));
        }
        Decimal::from_str(t)
            .map_err(|_| invalid_value(&node.name, t, "http://www.w3.org/2001/XMLSchema:decimal"))
    }
}

impl Wire for bool {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, if *self { "true" } else { "false" }.to_owned())
    }
    fn from_node(node: &Node, _: Form) -> Result<Self, ApiError> {
        match leaf(node)?.trim() {
            "true" | "1" | "True" | "TRUE" => Ok(true),
            "false" | "0" | "False" | "FALSE" => Ok(false),
            other => Err(invalid_value(
                &node.name,
                other,
                "http://www.w3.org/2001/XMLSchema:boolean",
            )),
        }
    }
}

/// `numericString`: an id made of digits only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NumericString(String);

impl NumericString {
    /// Accepts `[0-9]+`.
    pub fn new(s: impl Into<String>) -> Option<Self> {
        let s = s.into();
        (!s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()))
            .then_some(NumericString(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for NumericString {
    fn default() -> Self {
        NumericString("0".to_owned())
    }
}

impl From<u64> for NumericString {
    fn from(v: u64) -> Self {
        NumericString(v.to_string())
    }
}

impl std::fmt::Display for NumericString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Wire for NumericString {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.0.clone())
    }
    fn from_node(node: &Node, _: Form) -> Result<Self, ApiError> {
        let t = leaf(node)?.trim();
        NumericString::new(t).ok_or_else(|| {
            ApiError::Schema(format!(
                "The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:{}' element is invalid - The value '{}' is invalid according to its datatype 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:numericString' - The Pattern constraint failed.",
                node.name,
                t.chars().take(40).collect::<String>()
            ))
        })
    }
}

/// A card number, card code, bank account or routing number, or transaction
/// key as carried on the wire: `Debug` prints `***`, no `Serialize`; read it
/// with [`SecretText::expose`] only where it is sent on or checked.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(s: impl Into<String>) -> Self {
        SecretText(s.into())
    }
    /// The raw value. Use only to encode, to check, or to mask.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `XXXX` + the last four characters (the gateway's masked form).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
    /// Whether the value is itself a masked value (`XXXX1234`).
    pub fn is_masked(&self) -> bool {
        self.0.starts_with("XXXX")
    }
}

/// `XXXX` + last four.
pub fn mask(s: &str) -> String {
    let tail: String = s
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("XXXX{tail}")
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl Wire for SecretText {
    fn to_node(&self, name: &str) -> Node {
        Node::text(name, self.0.clone())
    }
    fn from_node(node: &Node, _: Form) -> Result<Self, ApiError> {
        leaf(node).map(|t| SecretText(t.trim().to_owned()))
    }
}

/// Declares a wire struct: fields in schema order, each with its occurrence
/// and element name; `ignore` lists newer-schema elements accepted and dropped.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $kind:ident $([$item:literal])? $field:ident : $ty:ty = $tag:literal ),* $(,)?
        }
        $(ignore [$($ig:literal),* $(,)?])?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: wire_struct!(@ty $kind $ty), )*
        }

        impl $crate::api::codec::Wire for $name {
            fn to_node(&self, name: &str) -> $crate::api::tree::Node {
                #[allow(unused_mut)]
                let mut out = $crate::api::codec::Out(Vec::new());
                $( wire_struct!(@enc out, self.$field, $kind $([$item])?, $tag); )*
                $crate::api::tree::Node::parent(name, out.0)
            }
            fn from_node(
                node: &$crate::api::tree::Node,
                form: $crate::api::codec::Form,
            ) -> Result<Self, $crate::api::ApiError> {
                const IGNORE: &[&str] = &[$($($ig),*)?];
                #[allow(unused_mut)]
                let mut f = $crate::api::codec::Fields::new(node, form, IGNORE)?;
                let value = $name { $( $field: wire_struct!(@dec f, $kind $([$item])?, $tag), )* };
                f.finish()?;
                Ok(value)
            }
        }
    };
    (@ty req $ty:ty) => { $ty };
    (@ty opt $ty:ty) => { Option<$ty> };
    (@ty many $ty:ty) => { Vec<$ty> };
    (@ty list $ty:ty) => { Vec<$ty> };
    (@ty always $ty:ty) => { Vec<$ty> };
    (@enc $out:ident, $v:expr, req, $tag:literal) => { $out.req($tag, &$v) };
    (@enc $out:ident, $v:expr, opt, $tag:literal) => { $out.opt($tag, &$v) };
    (@enc $out:ident, $v:expr, many, $tag:literal) => { $out.many($tag, &$v) };
    (@enc $out:ident, $v:expr, list [$item:literal], $tag:literal) => { $out.list($tag, $item, &$v, false) };
    (@enc $out:ident, $v:expr, always [$item:literal], $tag:literal) => { $out.list($tag, $item, &$v, true) };
    (@dec $f:ident, req, $tag:literal) => { $f.req($tag)? };
    (@dec $f:ident, opt, $tag:literal) => { $f.opt($tag)? };
    (@dec $f:ident, many, $tag:literal) => { $f.many($tag)? };
    (@dec $f:ident, list [$item:literal], $tag:literal) => { $f.list($tag, $item)? };
    (@dec $f:ident, always [$item:literal], $tag:literal) => { $f.list($tag, $item)? };
}

/// Declares a string enumeration (`xsd:enumeration`).
macro_rules! wire_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl $crate::api::codec::Wire for $name {
            fn to_node(&self, name: &str) -> $crate::api::tree::Node {
                $crate::api::tree::Node::text(name, self.as_str().to_owned())
            }
            fn from_node(
                node: &$crate::api::tree::Node,
                _: $crate::api::codec::Form,
            ) -> Result<Self, $crate::api::ApiError> {
                let text = node.as_text().unwrap_or_default().trim();
                $name::parse(text).ok_or_else(|| {
                    $crate::api::codec::invalid_value(&node.name, text, concat!("AnetApi/xml/v1/schema/AnetApiSchema.xsd:", stringify!($name)))
                })
            }
        }
    };
}

pub(crate) use {wire_enum, wire_struct};
