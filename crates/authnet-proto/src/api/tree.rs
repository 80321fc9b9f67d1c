//! A small element tree shared by the XML and JSON forms of the API.
//!
//! Both wire forms are first read into [`Node`]s (XML via quick-xml's pull
//! reader, JSON via serde_json with an order-preserving visitor), and typed
//! messages are read from / written to that tree (see `codec`). This keeps the
//! XML-vs-JSON differences (arrays, wrappers, BOM, namespaces) in one file.

use quick_xml::events::Event;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ApiError;

/// The schema namespace every request root must declare and every response
/// root carries.
pub const NAMESPACE: &str = "AnetApi/xml/v1/schema/AnetApiSchema.xsd";

/// Largest document accepted by the decoders (bytes).
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Deepest element nesting accepted by the decoders.
pub const MAX_DEPTH: usize = 32;
/// Most elements accepted in one document.
pub const MAX_NODES: usize = 20_000;

/// One element: a name and either text or child elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub name: String,
    pub body: Body,
    /// Written by a repeated (`maxOccurs > 1`) field: always a JSON array.
    pub repeated: bool,
    /// An `ArrayOfX` wrapper: in JSON the wrapper's value is the bare array of
    /// its items' values.
    pub flatten: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Body {
    Text(String),
    Children(Vec<Node>),
}

impl Node {
    pub fn text(name: &str, text: String) -> Node {
        Node {
            name: name.to_owned(),
            body: Body::Text(text),
            repeated: false,
            flatten: false,
        }
    }

    pub fn parent(name: &str, children: Vec<Node>) -> Node {
        Node {
            name: name.to_owned(),
            body: Body::Children(children),
            repeated: false,
            flatten: false,
        }
    }

    /// The text of a leaf; an empty element reads as "".
    pub fn as_text(&self) -> Option<&str> {
        match &self.body {
            Body::Text(t) => Some(t),
            Body::Children(c) if c.is_empty() => Some(""),
            Body::Children(_) => None,
        }
    }

    pub fn children(&self) -> &[Node] {
        match &self.body {
            Body::Children(c) => c,
            Body::Text(_) => &[],
        }
    }
}

/// The root of a decoded document.
#[derive(Debug)]
pub(crate) struct Document {
    pub root: Node,
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

// ---------------------------------------------------------------- XML read

fn local_name(qname: &[u8]) -> &[u8] {
    match qname.iter().position(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn prefix(qname: &[u8]) -> Option<&[u8]> {
    qname.iter().position(|&b| b == b':').map(|i| &qname[..i])
}

fn utf8(bytes: &[u8]) -> Result<String, ApiError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::Parse("The document is not valid UTF-8.".into()))
}

/// Parses an XML document into a tree. Rejects DTDs (no entity expansion is
/// possible), documents over [`MAX_BODY_BYTES`], deeper than [`MAX_DEPTH`] or
/// with more than [`MAX_NODES`] elements. `check_namespace` requires the root to
/// be in [`NAMESPACE`] (a request rule: E00045).
pub(crate) fn parse_xml(bytes: &[u8], check_namespace: bool) -> Result<Document, ApiError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::TooLarge);
    }
    let bytes = strip_bom(bytes);
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    reader.config_mut().expand_empty_elements = false;

    // Stack of open elements: (name, children, text).
    let mut stack: Vec<(String, Vec<Node>, String)> = Vec::new();
    let mut root: Option<Node> = None;
    let mut count = 0usize;
    let mut namespace_ok = !check_namespace;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ApiError::Parse(format!("{e}")))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                if root.is_some() {
                    return Err(ApiError::Parse("Data at the root level is invalid.".into()));
                }
                count += 1;
                if count > MAX_NODES {
                    return Err(ApiError::TooLarge);
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(ApiError::Parse("The document is nested too deeply.".into()));
                }
                let qname = start.name();
                let name = utf8(local_name(qname.as_ref()))?;
                if stack.is_empty() && check_namespace {
                    let wanted_attr: Vec<u8> = match prefix(qname.as_ref()) {
                        Some(p) => [b"xmlns:".as_slice(), p].concat(),
                        None => b"xmlns".to_vec(),
                    };
                    for attr in start.attributes() {
                        let attr = attr.map_err(|e| ApiError::Parse(format!("{e}")))?;
                        if attr.key.as_ref() == wanted_attr.as_slice()
                            && attr.value.as_ref() == NAMESPACE.as_bytes()
                        {
                            namespace_ok = true;
                        }
                    }
                } else {
                    // Attributes must at least be well-formed.
                    for attr in start.attributes() {
                        attr.map_err(|e| ApiError::Parse(format!("{e}")))?;
                    }
                }
                if is_empty {
                    let node = Node {
                        name,
                        body: Body::Children(Vec::new()),
                        repeated: false,
                        flatten: false,
                    };
                    match stack.last_mut() {
                        Some((_, children, _)) => children.push(node),
                        None => root = Some(node),
                    }
                } else {
                    stack.push((name, Vec::new(), String::new()));
                }
            }
            Event::End(_) => {
                let Some((name, children, text)) = stack.pop() else {
                    return Err(ApiError::Parse("Unexpected end tag.".into()));
                };
                let body = if children.is_empty() {
                    if text.is_empty() {
                        Body::Children(children)
                    } else {
                        Body::Text(text)
                    }
                } else if text.trim().is_empty() {
                    Body::Children(children)
                } else {
                    return Err(ApiError::Parse(format!(
                        "The element '{name}' cannot contain text and elements."
                    )));
                };
                let node = Node {
                    name,
                    body,
                    repeated: false,
                    flatten: false,
                };
                match stack.last_mut() {
                    Some((_, siblings, _)) => siblings.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let decoded = t
                    .xml_content()
                    .map_err(|e| ApiError::Parse(format!("{e}")))?;
                match stack.last_mut() {
                    Some((_, _, text)) => text.push_str(&decoded),
                    None if decoded.trim().is_empty() => {}
                    None => {
                        return Err(ApiError::Parse("Data at the root level is invalid.".into()));
                    }
                }
            }
            Event::GeneralRef(r) => {
                let name = utf8(r.as_ref())?;
                let resolved = resolve_entity(&name).ok_or_else(|| {
                    ApiError::Parse(format!("Reference to undeclared entity '{name}'."))
                })?;
                match stack.last_mut() {
                    Some((_, _, text)) => text.push(resolved),
                    None => {
                        return Err(ApiError::Parse("Data at the root level is invalid.".into()));
                    }
                }
            }
            Event::CData(c) => {
                let s = utf8(&c.into_inner())?;
                match stack.last_mut() {
                    Some((_, _, text)) => text.push_str(&s),
                    None => {
                        return Err(ApiError::Parse("Data at the root level is invalid.".into()));
                    }
                }
            }
            Event::DocType(_) => {
                return Err(ApiError::Parse(
                    "DTD is prohibited in this XML document.".into(),
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(ApiError::Parse(
            "Unexpected end of file has occurred.".into(),
        ));
    }
    // Well-formedness first, then the namespace (E00045).
    if root.is_some() && !namespace_ok {
        return Err(ApiError::Namespace);
    }
    root.map(|root| Document { root })
        .ok_or_else(|| ApiError::Parse("Root element is missing.".into()))
}

/// The five predefined XML entities and numeric character references.
fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code)
        }
    }
}

// ---------------------------------------------------------------- XML write

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn write_node(out: &mut String, node: &Node) {
    out.push('<');
    out.push_str(&node.name);
    match &node.body {
        Body::Text(t) if !t.is_empty() => {
            out.push('>');
            escape_into(out, t);
        }
        Body::Children(c) if !c.is_empty() => {
            out.push('>');
            for child in c {
                write_node(out, child);
            }
        }
        _ => {
            out.push_str(" />");
            return;
        }
    }
    out.push_str("</");
    out.push_str(&node.name);
    out.push('>');
}

/// Writes a document: XML declaration, the root with the schema namespace
/// (responses also carry the `xsi`/`xsd` declarations as the gateway does).
pub(crate) fn write_xml(root: &Node, response: bool, bom: bool) -> Vec<u8> {
    let mut out = String::with_capacity(512);
    if bom {
        out.push('\u{feff}');
    }
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    out.push('<');
    out.push_str(&root.name);
    if response {
        out.push_str(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"");
    }
    out.push_str(" xmlns=\"");
    out.push_str(NAMESPACE);
    out.push('"');
    let children = root.children();
    if children.is_empty() {
        out.push_str(" />");
    } else {
        out.push('>');
        for child in children {
            write_node(&mut out, child);
        }
        out.push_str("</");
        out.push_str(&root.name);
        out.push('>');
    }
    out.into_bytes()
}

// ---------------------------------------------------------------- JSON read

/// Builds the children of one JSON object, preserving key order; arrays
/// become repeated elements of the key's name.
struct ObjectSeed<'a> {
    out: &'a mut Vec<Node>,
    count: &'a mut usize,
    depth: usize,
}

struct ValueSeed<'a> {
    name: &'a str,
    out: &'a mut Vec<Node>,
    count: &'a mut usize,
    depth: usize,
    in_array: bool,
}

fn bump(count: &mut usize, depth: usize) -> Result<(), String> {
    *count += 1;
    if *count > MAX_NODES {
        return Err("too many elements".into());
    }
    if depth > MAX_DEPTH {
        return Err("nested too deeply".into());
    }
    Ok(())
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value_seed(ValueSeed {
                name: &key,
                out: self.out,
                count: self.count,
                depth: self.depth,
                in_array: false,
            })?;
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        bump(self.count, self.depth).map_err(E::custom)?;
        self.out.push(Node::text(self.name, v.to_owned()));
        Ok(())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(), E> {
        bump(self.count, self.depth).map_err(E::custom)?;
        self.out.push(Node::text(self.name, v));
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        self.visit_string(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.visit_string(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.visit_string(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() {
            return Err(E::custom("number out of range"));
        }
        // Shortest representation that round-trips: 10.5 -> "10.5".
        self.visit_string(format!("{v}"))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        // `null`: the field is absent.
        Ok(())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        bump(self.count, self.depth).map_err(serde::de::Error::custom)?;
        let mut children = Vec::new();
        ObjectSeed {
            out: &mut children,
            count: self.count,
            depth: self.depth + 1,
        }
        .visit_map(map)?;
        self.out.push(Node::parent(self.name, children));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.in_array {
            return Err(serde::de::Error::custom("nested arrays are not allowed"));
        }
        while seq
            .next_element_seed(ValueSeed {
                name: self.name,
                out: self.out,
                count: self.count,
                depth: self.depth,
                in_array: true,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// Parses a JSON document `{"<root>": {...}}` into a tree. With `root_name`,
/// the document is a bare object (the gateway's JSON responses carry no root
/// key) and is given that name.
pub(crate) fn parse_json(bytes: &[u8], root_name: Option<&str>) -> Result<Document, ApiError> {
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::TooLarge);
    }
    let bytes = strip_bom(bytes);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut children = Vec::new();
    let mut count = 0usize;
    ObjectSeed {
        out: &mut children,
        count: &mut count,
        depth: 1,
    }
    .deserialize(&mut de)
    .map_err(|e| ApiError::Parse(format!("{e}")))?;
    de.end().map_err(|e| ApiError::Parse(format!("{e}")))?;
    let root = match root_name {
        Some(name) => Node::parent(name, children),
        None => {
            let mut it = children.into_iter();
            match (it.next(), it.next()) {
                (Some(root), None) => root,
                _ => {
                    return Err(ApiError::Parse(
                        "A JSON request must have exactly one root property.".into(),
                    ));
                }
            }
        }
    };
    Ok(Document { root })
}

// ---------------------------------------------------------------- JSON write

/// Writes a node's content as JSON, keeping schema order of keys.
fn write_json_value(out: &mut String, node: &Node) {
    match &node.body {
        Body::Text(t) => push_json_string(out, t),
        Body::Children(children) if node.flatten => {
            out.push('[');
            for (i, c) in children.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_value(out, c);
            }
            out.push(']');
        }
        Body::Children(children) if children.is_empty() => out.push_str("\"\""),
        Body::Children(children) => write_json_object(out, children),
    }
}

fn write_json_object(out: &mut String, children: &[Node]) {
    out.push('{');
    let mut i = 0;
    let mut first = true;
    while i < children.len() {
        let name = &children[i].name;
        let mut j = i;
        while j < children.len() && children[j].name == *name {
            j += 1;
        }
        let group = &children[i..j];
        if !first {
            out.push(',');
        }
        first = false;
        push_json_string(out, name);
        out.push(':');
        if group.len() > 1 || group[0].repeated {
            out.push('[');
            for (k, n) in group.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                write_json_value(out, n);
            }
            out.push(']');
        } else {
            write_json_value(out, &group[0]);
        }
        i = j;
    }
    out.push('}');
}

fn push_json_string(out: &mut String, s: &str) {
    // serde_json's string escaping cannot fail for a &str.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// Writes a JSON document. `wrap` puts the root's name as the single key (the
/// request form); otherwise the root's content is the document (the gateway's
/// response form).
pub(crate) fn write_json(root: &Node, wrap: bool, bom: bool) -> Vec<u8> {
    let mut out = String::with_capacity(512);
    if bom {
        out.push('\u{feff}');
    }
    if wrap {
        out.push('{');
        push_json_string(&mut out, &root.name);
        out.push(':');
        write_json_object(&mut out, root.children());
        out.push('}');
    } else {
        write_json_object(&mut out, root.children());
    }
    out.into_bytes()
}
