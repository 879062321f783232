//! A small DOM that applies a VirtualDom's mutations, so component tests can find elements
//! by selector, read their text and send events to their `ElementId`, then render the same
//! VirtualDom with dioxus-ssr. It follows the stack machine of Dioxus' web interpreter.
#![allow(dead_code)]

use std::collections::HashMap;

use dioxus::core::{
    AttributeValue, ElementId, Event, Template, TemplateAttribute, TemplateNode, VirtualDom, WriteMutations,
};
use dioxus::html::point_interaction::SerializedPointInteraction;
use dioxus::html::{EventData, SerializedFormData, SerializedHtmlEventConverter, SerializedMouseData};

#[derive(Debug)]
enum Kind {
    Element { tag: String, attrs: Vec<(String, String)>, listeners: Vec<String> },
    Text(String),
    Placeholder,
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// The DOM: an arena of nodes, the ids Dioxus assigned, and the interpreter's stack.
pub struct MiniDom {
    nodes: Vec<Node>,
    ids: HashMap<ElementId, usize>,
    stack: Vec<usize>,
}

impl Default for MiniDom {
    fn default() -> Self {
        let root = Node {
            kind: Kind::Element { tag: "body".into(), attrs: vec![], listeners: vec![] },
            parent: None,
            children: vec![],
        };
        MiniDom { nodes: vec![root], ids: HashMap::from([(ElementId(0), 0)]), stack: vec![] }
    }
}

impl MiniDom {
    fn add(&mut self, kind: Kind) -> usize {
        self.nodes.push(Node { kind, parent: None, children: vec![] });
        self.nodes.len() - 1
    }

    fn build(&mut self, t: &TemplateNode) -> usize {
        match t {
            TemplateNode::Element { tag, attrs, children, .. } => {
                let attrs = attrs
                    .iter()
                    .filter_map(|a| match a {
                        TemplateAttribute::Static { name, value, .. } => Some((name.to_string(), value.to_string())),
                        TemplateAttribute::Dynamic { .. } => None,
                    })
                    .collect();
                let n = self.add(Kind::Element { tag: tag.to_string(), attrs, listeners: vec![] });
                for c in children.iter() {
                    let c = self.build(c);
                    self.append(n, c);
                }
                n
            }
            TemplateNode::Text { text } => self.add(Kind::Text(text.to_string())),
            TemplateNode::Dynamic { .. } => self.add(Kind::Placeholder),
        }
    }

    fn append(&mut self, parent: usize, child: usize) {
        self.detach(child);
        self.nodes[child].parent = Some(parent);
        self.nodes[parent].children.push(child);
    }

    fn detach(&mut self, n: usize) {
        if let Some(p) = self.nodes[n].parent.take() {
            self.nodes[p].children.retain(|c| *c != n);
        }
    }

    fn pop(&mut self, m: usize) -> Vec<usize> {
        let at = self.stack.len() - m;
        self.stack.split_off(at)
    }

    fn at_path(&self, path: &[u8]) -> usize {
        let mut n = *self.stack.last().expect("a node on the stack");
        for i in path {
            n = self.nodes[n].children[*i as usize];
        }
        n
    }

    /// Puts `new` where `at` is in its parent (`offset` 0: before, 1: after).
    fn insert_at(&mut self, at: usize, new: Vec<usize>, offset: usize) {
        let parent = self.nodes[at].parent.expect("a node in the tree");
        for n in &new {
            self.detach(*n);
            self.nodes[*n].parent = Some(parent);
        }
        let pos = self.nodes[parent].children.iter().position(|c| *c == at).expect("child") + offset;
        self.nodes[parent].children.splice(pos..pos, new);
    }

    fn node(&self, id: ElementId) -> usize {
        *self.ids.get(&id).unwrap_or_else(|| panic!("unknown {id:?}"))
    }

    fn attrs_mut(&mut self, n: usize) -> Option<&mut Vec<(String, String)>> {
        match &mut self.nodes[n].kind {
            Kind::Element { attrs, .. } => Some(attrs),
            _ => None,
        }
    }

    /// Every node under `n`, in document order.
    fn descendants(&self, n: usize, out: &mut Vec<usize>) {
        for c in &self.nodes[n].children {
            out.push(*c);
            self.descendants(*c, out);
        }
    }

    /// The attribute of a node, if it is an element with it.
    fn attr(&self, n: usize, name: &str) -> Option<&str> {
        match &self.nodes[n].kind {
            Kind::Element { attrs, .. } => attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    fn matches(&self, n: usize, sel: &Selector) -> bool {
        let Kind::Element { tag, .. } = &self.nodes[n].kind else { return false };
        if sel.tag.as_ref().is_some_and(|t| t != tag) {
            return false;
        }
        if sel.id.as_ref().is_some_and(|id| self.attr(n, "id") != Some(id)) {
            return false;
        }
        let classes: Vec<&str> = self.attr(n, "class").unwrap_or("").split_whitespace().collect();
        if !sel.classes.iter().all(|c| classes.contains(&c.as_str())) {
            return false;
        }
        sel.attrs.iter().all(|(k, v)| match v {
            Some(v) => self.attr(n, k) == Some(v),
            None => self.attr(n, k).is_some(),
        })
    }

    /// All elements matching a selector: simple parts (`tag#id.class[attr=value]`)
    /// joined by spaces (descendant of).
    pub fn all(&self, selector: &str) -> Vec<Handle> {
        let parts: Vec<Selector> = selector.split_whitespace().map(Selector::parse).collect();
        let (last, ancestors) = parts.split_last().expect("a selector");
        let mut nodes = vec![];
        self.descendants(0, &mut nodes);
        nodes.into_iter().filter(|n| self.matches(*n, last) && self.under(*n, ancestors)).map(Handle).collect()
    }

    /// True when the ancestors of `n` match `parts`, innermost last, in order.
    fn under(&self, n: usize, parts: &[Selector]) -> bool {
        let Some((inner, outer)) = parts.split_last() else { return true };
        let mut a = self.nodes[n].parent;
        while let Some(i) = a {
            if self.matches(i, inner) && self.under(i, outer) {
                return true;
            }
            a = self.nodes[i].parent;
        }
        false
    }

    /// The one element matching a selector; panics when there is none.
    pub fn get(&self, selector: &str) -> Handle {
        self.find(selector).unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    pub fn find(&self, selector: &str) -> Option<Handle> {
        self.all(selector).into_iter().next()
    }

    pub fn exists(&self, selector: &str) -> bool {
        self.find(selector).is_some()
    }

    /// The text inside an element, whitespace-trimmed.
    pub fn text(&self, selector: &str) -> String {
        let mut out = String::new();
        self.collect_text(self.get(selector).0, &mut out);
        out.trim().to_owned()
    }

    fn collect_text(&self, n: usize, out: &mut String) {
        match &self.nodes[n].kind {
            Kind::Text(t) => out.push_str(t),
            Kind::Element { tag, .. } if tag == "style" || tag == "script" => {}
            _ => {
                for c in &self.nodes[n].children {
                    self.collect_text(*c, out);
                }
            }
        }
    }

    pub fn has_class(&self, selector: &str, class: &str) -> bool {
        self.attr(self.get(selector).0, "class").unwrap_or("").split_whitespace().any(|c| c == class)
    }

    pub fn attr_of(&self, selector: &str, name: &str) -> Option<String> {
        self.attr(self.get(selector).0, name).map(str::to_owned)
    }

    /// The element that handles `event` for a target: itself or its nearest ancestor
    /// with a listener, and the id Dioxus knows it by.
    fn listener(&self, h: Handle, event: &str) -> ElementId {
        let mut n = Some(h.0);
        while let Some(i) = n {
            if let Kind::Element { listeners, .. } = &self.nodes[i].kind
                && listeners.iter().any(|l| l == event)
            {
                return *self.ids.iter().find(|(_, v)| **v == i).expect("a listener has an id").0;
            }
            n = self.nodes[i].parent;
        }
        panic!("no {event} listener on or above {h:?}");
    }
}

/// An element in the mini DOM.
#[derive(Debug, Clone, Copy)]
pub struct Handle(usize);

#[derive(Default)]
struct Selector {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
}

impl Selector {
    fn parse(s: &str) -> Selector {
        let mut sel = Selector::default();
        let mut rest = s;
        let word = |r: &str| r.find(['#', '.', '[']).unwrap_or(r.len());
        let end = word(rest);
        if end > 0 {
            sel.tag = Some(rest[..end].to_owned());
        }
        rest = &rest[end..];
        while let Some(c) = rest.chars().next() {
            rest = &rest[1..];
            match c {
                '#' | '.' => {
                    let end = word(rest);
                    let w = rest[..end].to_owned();
                    if c == '#' {
                        sel.id = Some(w)
                    } else {
                        sel.classes.push(w)
                    }
                    rest = &rest[end..];
                }
                '[' => {
                    let end = rest.find(']').unwrap_or_else(|| panic!("bad selector {s}"));
                    let inner = &rest[..end];
                    sel.attrs.push(match inner.split_once('=') {
                        Some((k, v)) => (k.to_owned(), Some(v.trim_matches(['"', '\'']).to_owned())),
                        None => (inner.to_owned(), None),
                    });
                    rest = &rest[end + 1..];
                }
                _ => panic!("bad selector {s}"),
            }
        }
        sel
    }
}

impl WriteMutations for MiniDom {
    fn append_children(&mut self, id: ElementId, m: usize) {
        let parent = self.node(id);
        for c in self.pop(m) {
            self.append(parent, c);
        }
    }

    fn assign_node_id(&mut self, path: &'static [u8], id: ElementId) {
        let n = self.at_path(path);
        self.ids.insert(id, n);
    }

    fn create_placeholder(&mut self, id: ElementId) {
        let n = self.add(Kind::Placeholder);
        self.ids.insert(id, n);
        self.stack.push(n);
    }

    fn create_text_node(&mut self, value: &str, id: ElementId) {
        let n = self.add(Kind::Text(value.to_owned()));
        self.ids.insert(id, n);
        self.stack.push(n);
    }

    fn load_template(&mut self, template: Template, index: usize, id: ElementId) {
        let n = self.build(&template.roots[index]);
        self.ids.insert(id, n);
        self.stack.push(n);
    }

    fn replace_node_with(&mut self, id: ElementId, m: usize) {
        let old = self.node(id);
        let new = self.pop(m);
        self.insert_at(old, new, 0);
        self.detach(old);
    }

    fn replace_placeholder_with_nodes(&mut self, path: &'static [u8], m: usize) {
        let new = self.pop(m);
        let old = self.at_path(path);
        self.insert_at(old, new, 0);
        self.detach(old);
    }

    fn insert_nodes_after(&mut self, id: ElementId, m: usize) {
        let at = self.node(id);
        let new = self.pop(m);
        self.insert_at(at, new, 1);
    }

    fn insert_nodes_before(&mut self, id: ElementId, m: usize) {
        let at = self.node(id);
        let new = self.pop(m);
        self.insert_at(at, new, 0);
    }

    fn set_attribute(&mut self, name: &'static str, _ns: Option<&'static str>, value: &AttributeValue, id: ElementId) {
        let n = self.node(id);
        let value = match value {
            AttributeValue::Text(s) => Some(s.clone()),
            AttributeValue::Float(f) => Some(f.to_string()),
            AttributeValue::Int(i) => Some(i.to_string()),
            AttributeValue::Bool(true) => Some("true".into()),
            AttributeValue::Bool(false) | AttributeValue::None => None,
            AttributeValue::Listener(_) | AttributeValue::Any(_) => return,
        };
        let Some(attrs) = self.attrs_mut(n) else { return };
        attrs.retain(|(k, _)| k != name);
        if let Some(v) = value {
            attrs.push((name.to_owned(), v));
        }
    }

    fn set_node_text(&mut self, value: &str, id: ElementId) {
        let n = self.node(id);
        self.nodes[n].kind = Kind::Text(value.to_owned());
    }

    fn create_event_listener(&mut self, name: &'static str, id: ElementId) {
        let n = self.node(id);
        if let Kind::Element { listeners, .. } = &mut self.nodes[n].kind {
            listeners.push(name.to_owned());
        }
    }

    fn remove_event_listener(&mut self, name: &'static str, id: ElementId) {
        let n = self.node(id);
        if let Kind::Element { listeners, .. } = &mut self.nodes[n].kind {
            listeners.retain(|l| l != name);
        }
    }

    fn remove_node(&mut self, id: ElementId) {
        let n = self.node(id);
        self.detach(n);
    }

    fn push_root(&mut self, id: ElementId) {
        let n = self.node(id);
        self.stack.push(n);
    }
}

/// A VirtualDom with its mini DOM: the test's phone.
pub struct Screen {
    pub vdom: VirtualDom,
    pub dom: MiniDom,
}

impl Screen {
    pub fn new(mut vdom: VirtualDom) -> Screen {
        dioxus::html::set_event_converter(Box::new(SerializedHtmlEventConverter));
        let mut dom = MiniDom::default();
        vdom.rebuild(&mut dom);
        Screen { vdom, dom }
    }

    /// Applies what changed.
    pub fn flush(&mut self) {
        self.vdom.render_immediate(&mut self.dom);
    }

    fn send(&mut self, selector: &str, name: &str, data: EventData) {
        let target = self.dom.get(selector);
        let id = self.dom.listener(target, name);
        self.vdom.runtime().handle_event(name, Event::new(data.into_any(), true), id);
        self.flush();
    }

    pub fn click(&mut self, selector: &str) {
        self.send(selector, "click", EventData::Mouse(SerializedMouseData::default()));
    }

    pub fn pointer_down(&mut self, selector: &str) {
        // Built as the browser sends it: the mouse fields and the pointer's own.
        let mut json = serde_json::to_value(SerializedPointInteraction::default()).expect("serializable");
        json.as_object_mut().expect("an object").extend(
            serde_json::json!({
                "pointer_id": 1, "width": 1.0, "height": 1.0, "pressure": 0.5, "tangential_pressure": 0.0,
                "tilt_x": 0, "tilt_y": 0, "twist": 0, "pointer_type": "touch", "is_primary": true
            })
            .as_object()
            .expect("an object")
            .clone(),
        );
        let data = serde_json::from_value(json).expect("pointer data");
        self.send(selector, "pointerdown", EventData::Pointer(data));
    }

    pub fn input(&mut self, selector: &str, value: &str) {
        self.send(selector, "input", EventData::Form(SerializedFormData::new(value.to_owned(), vec![])));
    }

    pub fn change(&mut self, selector: &str, value: &str) {
        self.send(selector, "change", EventData::Form(SerializedFormData::new(value.to_owned(), vec![])));
    }

    pub fn submit(&mut self, selector: &str) {
        self.send(selector, "submit", EventData::Form(SerializedFormData::new(String::new(), vec![])));
    }

    /// Lets spawned tasks (network, timers) run until `done` holds or `secs` pass.
    pub async fn until(&mut self, secs: u64, mut done: impl FnMut(&MiniDom) -> bool) -> bool {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while std::time::Instant::now() < end {
            if done(&self.dom) {
                return true;
            }
            let _ = tokio::time::timeout(std::time::Duration::from_millis(50), self.vdom.wait_for_work()).await;
            self.flush();
        }
        done(&self.dom)
    }

    /// The screen as HTML, by dioxus-ssr.
    pub fn html(&self) -> String {
        dioxus_ssr::render(&self.vdom)
    }
}
