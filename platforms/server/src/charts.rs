#![allow(missing_docs)]
pub struct Series {
    pub label: String,
    pub values: Vec<u64>,
}
pub fn bars(_t: &str, _c: &[String], _s: &[Series], _l: lanterna::domain::Lang) -> String {
    String::new()
}
pub fn hbars(_t: &str, _i: &[(String, u64)], _l: lanterna::domain::Lang) -> String {
    String::new()
}
