//! Generates WAVE test vectors with the real `wasm-wave` crate.
//!
//! Usage: wave-vectors OUTPUT.jsonl
//!
//! Every line of the output is one JSON object:
//!   {"case":"print","type":T,"text":S}
//!       S is `wasm_wave::to_string` of a value of type T (canonical form).
//!   {"case":"accept","type":T,"input":I,"canonical":C}
//!       I is a non-canonical spelling that `wasm_wave::from_str` accepts;
//!       C is `to_string` of what it parsed to.
//!   {"case":"reject","type":T,"input":I,"error":E}
//!       I is rejected by `wasm_wave::from_str`; E is the crate's message
//!       (informational only: it embeds byte spans).
//!
//! T is a type description in the JSON schema that the C++ tests read
//! ({"kind":"u8"}, {"kind":"list","element":T}, ...).
//!
//! The output is deterministic: a fixed seed and a small PRNG of our own.
//! Every line is checked against the crate before it is written.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;

use wasm_wave::value::{Type, Value};
use wasm_wave::wasm::WasmValue;

// ---------------------------------------------------------------------------
// PRNG (splitmix64)

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Types and values of our own (the crate's are opaque), convertible to the
// crate's `Type` / `Value`.

#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    Str,
    List(Box<Ty>),
    Record(Vec<(String, Ty)>),
    Tuple(Vec<Ty>),
    Variant(Vec<(String, Option<Ty>)>),
    Enum(Vec<String>),
    Option(Box<Ty>),
    Result(Option<Box<Ty>>, Option<Box<Ty>>),
    Flags(Vec<String>),
}

#[derive(Clone, Debug)]
enum Val {
    Bool(bool),
    S8(i8),
    U8(u8),
    S16(i16),
    U16(u16),
    S32(i32),
    U32(u32),
    S64(i64),
    U64(u64),
    F32(f32),
    F64(f64),
    Char(char),
    Str(String),
    List(Vec<Val>),
    Record(Vec<Val>),
    Tuple(Vec<Val>),
    Variant(usize, Option<Box<Val>>),
    Enum(usize),
    Option(Option<Box<Val>>),
    Result(Result<Option<Box<Val>>, Option<Box<Val>>>),
    Flags(Vec<bool>),
}

const KINDS: [&str; 21] = [
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
    "list", "record", "tuple", "variant", "enum", "option", "result", "flags",
];

impl Ty {
    fn kind(&self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::S8 => "s8",
            Ty::U8 => "u8",
            Ty::S16 => "s16",
            Ty::U16 => "u16",
            Ty::S32 => "s32",
            Ty::U32 => "u32",
            Ty::S64 => "s64",
            Ty::U64 => "u64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
            Ty::Char => "char",
            Ty::Str => "string",
            Ty::List(_) => "list",
            Ty::Record(_) => "record",
            Ty::Tuple(_) => "tuple",
            Ty::Variant(_) => "variant",
            Ty::Enum(_) => "enum",
            Ty::Option(_) => "option",
            Ty::Result(..) => "result",
            Ty::Flags(_) => "flags",
        }
    }

    fn prim(kind: &str) -> Option<Ty> {
        Some(match kind {
            "bool" => Ty::Bool,
            "s8" => Ty::S8,
            "u8" => Ty::U8,
            "s16" => Ty::S16,
            "u16" => Ty::U16,
            "s32" => Ty::S32,
            "u32" => Ty::U32,
            "s64" => Ty::S64,
            "u64" => Ty::U64,
            "f32" => Ty::F32,
            "f64" => Ty::F64,
            "char" => Ty::Char,
            "string" => Ty::Str,
            _ => return None,
        })
    }

    fn wave(&self) -> Type {
        match self {
            Ty::Bool => Type::BOOL,
            Ty::S8 => Type::S8,
            Ty::U8 => Type::U8,
            Ty::S16 => Type::S16,
            Ty::U16 => Type::U16,
            Ty::S32 => Type::S32,
            Ty::U32 => Type::U32,
            Ty::S64 => Type::S64,
            Ty::U64 => Type::U64,
            Ty::F32 => Type::F32,
            Ty::F64 => Type::F64,
            Ty::Char => Type::CHAR,
            Ty::Str => Type::STRING,
            Ty::List(e) => Type::list(e.wave()),
            Ty::Record(fs) => {
                Type::record(fs.iter().map(|(n, t)| (n.as_str(), t.wave()))).unwrap()
            }
            Ty::Tuple(es) => Type::tuple(es.iter().map(|t| t.wave()).collect::<Vec<_>>()).unwrap(),
            Ty::Variant(cs) => Type::variant(
                cs.iter()
                    .map(|(n, t)| (n.as_str(), t.as_ref().map(|t| t.wave()))),
            )
            .unwrap(),
            Ty::Enum(ns) => Type::enum_ty(ns.iter().map(|n| n.as_str())).unwrap(),
            Ty::Option(t) => Type::option(t.wave()),
            Ty::Result(o, e) => Type::result(o.as_ref().map(|t| t.wave()), e.as_ref().map(|t| t.wave())),
            Ty::Flags(ns) => Type::flags(ns.iter().map(|n| n.as_str())).unwrap(),
        }
    }

    fn json(&self, out: &mut String) {
        match self {
            Ty::List(e) => {
                out.push_str(r#"{"kind":"list","element":"#);
                e.json(out);
                out.push('}');
            }
            Ty::Record(fs) => {
                out.push_str(r#"{"kind":"record","fields":["#);
                for (i, (n, t)) in fs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(r#"{"name":"#);
                    json_str(out, n);
                    out.push_str(r#","type":"#);
                    t.json(out);
                    out.push('}');
                }
                out.push_str("]}");
            }
            Ty::Tuple(es) => {
                out.push_str(r#"{"kind":"tuple","elements":["#);
                for (i, t) in es.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    t.json(out);
                }
                out.push_str("]}");
            }
            Ty::Variant(cs) => {
                out.push_str(r#"{"kind":"variant","cases":["#);
                for (i, (n, t)) in cs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(r#"{"name":"#);
                    json_str(out, n);
                    out.push_str(r#","type":"#);
                    opt_json(out, t.as_ref());
                    out.push('}');
                }
                out.push_str("]}");
            }
            Ty::Enum(ns) | Ty::Flags(ns) => {
                out.push_str(r#"{"kind":""#);
                out.push_str(self.kind());
                out.push_str(r#"","names":["#);
                for (i, n) in ns.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_str(out, n);
                }
                out.push_str("]}");
            }
            Ty::Option(t) => {
                out.push_str(r#"{"kind":"option","element":"#);
                t.json(out);
                out.push('}');
            }
            Ty::Result(o, e) => {
                out.push_str(r#"{"kind":"result","ok":"#);
                opt_json(out, o.as_deref());
                out.push_str(r#","err":"#);
                opt_json(out, e.as_deref());
                out.push('}');
            }
            _ => {
                out.push_str(r#"{"kind":""#);
                out.push_str(self.kind());
                out.push_str(r#""}"#);
            }
        }
    }

    fn to_json(&self) -> String {
        let mut s = String::new();
        self.json(&mut s);
        s
    }

    /// Whether an option/result ok payload of this type may be written bare
    /// (the crate's `flattenable`).
    fn flattenable(&self) -> bool {
        !matches!(self, Ty::Option(_) | Ty::Result(..))
    }
}

fn opt_json(out: &mut String, t: Option<&Ty>) {
    match t {
        Some(t) => t.json(out),
        None => out.push_str("null"),
    }
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                write!(out, "\\u{:04x}", c as u32).unwrap()
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn to_value(ty: &Ty, v: &Val) -> Value {
    match (ty, v) {
        (Ty::Bool, Val::Bool(x)) => Value::make_bool(*x),
        (Ty::S8, Val::S8(x)) => Value::make_s8(*x),
        (Ty::U8, Val::U8(x)) => Value::make_u8(*x),
        (Ty::S16, Val::S16(x)) => Value::make_s16(*x),
        (Ty::U16, Val::U16(x)) => Value::make_u16(*x),
        (Ty::S32, Val::S32(x)) => Value::make_s32(*x),
        (Ty::U32, Val::U32(x)) => Value::make_u32(*x),
        (Ty::S64, Val::S64(x)) => Value::make_s64(*x),
        (Ty::U64, Val::U64(x)) => Value::make_u64(*x),
        (Ty::F32, Val::F32(x)) => Value::make_f32(*x),
        (Ty::F64, Val::F64(x)) => Value::make_f64(*x),
        (Ty::Char, Val::Char(x)) => Value::make_char(*x),
        (Ty::Str, Val::Str(x)) => Value::make_string(x.as_str().into()),
        (Ty::List(e), Val::List(xs)) => {
            Value::make_list(&ty.wave(), xs.iter().map(|x| to_value(e, x))).unwrap()
        }
        (Ty::Record(fs), Val::Record(xs)) => Value::make_record(
            &ty.wave(),
            fs.iter().zip(xs).map(|((n, t), x)| (n.as_str(), to_value(t, x))),
        )
        .unwrap(),
        (Ty::Tuple(ts), Val::Tuple(xs)) => {
            Value::make_tuple(&ty.wave(), ts.iter().zip(xs).map(|(t, x)| to_value(t, x))).unwrap()
        }
        (Ty::Variant(cs), Val::Variant(i, p)) => {
            let (n, t) = &cs[*i];
            let p = match (t, p) {
                (Some(t), Some(p)) => Some(to_value(t, p)),
                (None, None) => None,
                _ => panic!("bad variant payload"),
            };
            Value::make_variant(&ty.wave(), n, p).unwrap()
        }
        (Ty::Enum(ns), Val::Enum(i)) => Value::make_enum(&ty.wave(), &ns[*i]).unwrap(),
        (Ty::Option(t), Val::Option(p)) => {
            Value::make_option(&ty.wave(), p.as_ref().map(|p| to_value(t, p))).unwrap()
        }
        (Ty::Result(o, e), Val::Result(r)) => {
            let conv = |t: &Option<Box<Ty>>, p: &Option<Box<Val>>| match (t, p) {
                (Some(t), Some(p)) => Some(to_value(t, p)),
                (None, None) => None,
                _ => panic!("bad result payload"),
            };
            let r = match r {
                Ok(p) => Ok(conv(o, p)),
                Err(p) => Err(conv(e, p)),
            };
            Value::make_result(&ty.wave(), r).unwrap()
        }
        (Ty::Flags(ns), Val::Flags(bits)) => Value::make_flags(
            &ty.wave(),
            ns.iter().zip(bits).filter(|(_, b)| **b).map(|(n, _)| n.as_str()),
        )
        .unwrap(),
        _ => panic!("value does not match type {ty:?}: {v:?}"),
    }
}

// ---------------------------------------------------------------------------
// Crate entry points

fn crate_print(ty: &Ty, v: &Val) -> String {
    wasm_wave::to_string(&to_value(ty, v)).expect("to_string")
}

fn crate_parse(ty: &Ty, s: &str) -> Result<String, String> {
    match wasm_wave::from_str::<Value>(&ty.wave(), s) {
        Ok(v) => Ok(wasm_wave::to_string(&v).expect("to_string")),
        Err(e) => Err(e.to_string()),
    }
}

const KEYWORDS: [&str; 8] = ["true", "false", "some", "none", "ok", "err", "inf", "nan"];

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

// ---------------------------------------------------------------------------
// A small WIT-like type syntax for the hand-written lines:
//   u8, list<T>, option<T>, tuple<T, U>, result, result<T>, result<T, E>,
//   result<_, E>, record{a: T, b: U}, variant{a(T), b}, enum{a, b},
//   flags{a, b}

struct TyParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> TyParser<'a> {
    fn parse(src: &str) -> Ty {
        let mut p = TyParser { s: src.as_bytes(), i: 0 };
        let t = p.ty();
        p.skip();
        assert!(p.i == p.s.len(), "trailing input in type {src:?}");
        t
    }
    fn skip(&mut self) {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.skip();
        if self.i < self.s.len() && self.s[self.i] == c {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) {
        assert!(self.eat(c), "expected {:?} at {} in type", c as char, self.i);
    }
    fn word(&mut self) -> String {
        self.skip();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'-' || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        String::from_utf8(self.s[start..self.i].to_vec()).unwrap()
    }
    fn names(&mut self) -> Vec<String> {
        self.expect(b'{');
        let mut v = vec![self.word()];
        while self.eat(b',') {
            v.push(self.word());
        }
        self.expect(b'}');
        v
    }
    fn opt_ty(&mut self) -> Option<Box<Ty>> {
        self.skip();
        if self.s[self.i] == b'_' {
            self.i += 1;
            None
        } else {
            Some(Box::new(self.ty()))
        }
    }
    fn ty(&mut self) -> Ty {
        let w = self.word();
        if let Some(t) = Ty::prim(&w) {
            return t;
        }
        match w.as_str() {
            "list" => {
                self.expect(b'<');
                let t = self.ty();
                self.expect(b'>');
                Ty::List(Box::new(t))
            }
            "option" => {
                self.expect(b'<');
                let t = self.ty();
                self.expect(b'>');
                Ty::Option(Box::new(t))
            }
            "tuple" => {
                self.expect(b'<');
                let mut v = vec![self.ty()];
                while self.eat(b',') {
                    v.push(self.ty());
                }
                self.expect(b'>');
                Ty::Tuple(v)
            }
            "result" => {
                if !self.eat(b'<') {
                    return Ty::Result(None, None);
                }
                let o = self.opt_ty();
                let e = if self.eat(b',') { self.opt_ty() } else { None };
                self.expect(b'>');
                Ty::Result(o, e)
            }
            "record" => {
                self.expect(b'{');
                let mut v = Vec::new();
                loop {
                    let n = self.word();
                    self.expect(b':');
                    v.push((n, self.ty()));
                    if !self.eat(b',') {
                        break;
                    }
                }
                self.expect(b'}');
                Ty::Record(v)
            }
            "variant" => {
                self.expect(b'{');
                let mut v = Vec::new();
                loop {
                    let n = self.word();
                    let t = if self.eat(b'(') {
                        let t = self.ty();
                        self.expect(b')');
                        Some(t)
                    } else {
                        None
                    };
                    v.push((n, t));
                    if !self.eat(b',') {
                        break;
                    }
                }
                self.expect(b'}');
                Ty::Variant(v)
            }
            "enum" => Ty::Enum(self.names()),
            "flags" => Ty::Flags(self.names()),
            _ => panic!("unknown type word {w:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Random types

/// WIT-valid labels; some collide with WAVE keywords, some are multi-word,
/// some use all-caps words.
const NAMES: &[&str] = &[
    "a", "b", "c", "d", "x", "y", "z", "foo", "bar", "baz", "qux", "id", "name", "value", "count",
    "a-b", "a-b-c", "foo-bar", "foo-bar-baz", "x1", "a1-b2", "red", "green", "blue", "http",
    "HTTP", "HTTP-OK", "get-HTTP", "ABC", "v2", "is-ok", "true", "false", "none", "some", "ok",
    "err", "inf", "nan", "true-false", "some-thing", "nan-x", "inf-y", "ok-err", "none-of-these",
    "this-is-a-rather-long-label", "e", "i", "o", "hot", "cold",
];

fn pick_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut pool: Vec<&str> = NAMES.to_vec();
    rng.shuffle(&mut pool);
    // Bias toward keywords now and then so `%` is exercised often.
    if rng.chance(0.3) {
        let kw = *rng.pick(&KEYWORDS);
        if let Some(pos) = pool.iter().position(|x| *x == kw) {
            pool.swap(0, pos);
        }
    }
    pool[..n.min(pool.len())].iter().map(|s| s.to_string()).collect()
}

fn gen_type(rng: &mut Rng, depth: u32, kind: Option<&str>) -> Ty {
    const PRIMS: [&str; 13] = [
        "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
    ];
    let kind = match kind {
        Some(k) => k,
        None => {
            if depth >= 4 || rng.chance(0.35 + 0.15 * depth as f64) {
                *rng.pick(&PRIMS)
            } else {
                *rng.pick(&KINDS)
            }
        }
    };
    if let Some(t) = Ty::prim(kind) {
        return t;
    }
    let d = depth + 1;
    match kind {
        "list" => Ty::List(Box::new(gen_type(rng, d, None))),
        "record" => {
            let max = if rng.chance(0.8) { 4 } else { 8 };
            let n = 1 + rng.below(max);
            let names = pick_names(rng, n);
            let all_optional = rng.chance(0.12);
            let fields = names
                .into_iter()
                .map(|n| {
                    // Plenty of option fields: they may be omitted.
                    let t = if all_optional || rng.chance(0.3) {
                        Ty::Option(Box::new(gen_type(rng, d + 1, None)))
                    } else {
                        gen_type(rng, d, None)
                    };
                    (n, t)
                })
                .collect();
            Ty::Record(fields)
        }
        "tuple" => {
            let n = 1 + rng.below(4);
            Ty::Tuple((0..n).map(|_| gen_type(rng, d, None)).collect())
        }
        "variant" => {
            let n = 1 + rng.below(5);
            let names = pick_names(rng, n);
            Ty::Variant(
                names
                    .into_iter()
                    .map(|n| {
                        let t = if rng.chance(0.6) { Some(gen_type(rng, d, None)) } else { None };
                        (n, t)
                    })
                    .collect(),
            )
        }
        "enum" => {
            let n = 1 + rng.below(6);
            Ty::Enum(pick_names(rng, n))
        }
        "option" => {
            // option<option<T>> and option<result<..>> cannot be flattened
            let inner = if rng.chance(0.12) {
                let k = if rng.chance(0.5) { "option" } else { "result" };
                gen_type(rng, d, Some(k))
            } else {
                gen_type(rng, d, None)
            };
            Ty::Option(Box::new(inner))
        }
        "result" => {
            let o = if rng.chance(0.7) { Some(Box::new(gen_type(rng, d, None))) } else { None };
            let e = if rng.chance(0.6) { Some(Box::new(gen_type(rng, d, None))) } else { None };
            Ty::Result(o, e)
        }
        "flags" => {
            let max = if rng.chance(0.85) { 6 } else { 40 };
            let n = 1 + rng.below(max);
            Ty::Flags(pick_names(rng, n))
        }
        _ => unreachable!(),
    }
}

// ---------------------------------------------------------------------------
// Random values

fn gen_int(rng: &mut Rng, bits: u32, signed: bool) -> i128 {
    let (min, max): (i128, i128) = if signed {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    };
    let v = match rng.below(10) {
        0 => min,
        1 => max,
        2 => 0,
        3 => if signed { -1 } else { 1 },
        4 => min + 1,
        5 => max - 1,
        6 => {
            let k = rng.below(bits as usize) as u32;
            let p = 1i128 << k;
            let v = *rng.pick(&[p - 1, p, p + 1]);
            if signed && rng.chance(0.5) { -v } else { v }
        }
        7 => rng.range(-100, 100) as i128,
        _ => {
            // uniformly random bit pattern of the width
            let raw = rng.next() as u128 & ((1u128 << bits) - 1);
            if signed && raw >= (1u128 << (bits - 1)) {
                raw as i128 - (1i128 << bits)
            } else {
                raw as i128
            }
        }
    };
    v.clamp(min, max)
}

const F32_SPECIAL: &[f32] = &[
    0.0, -0.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE, f32::MAX, f32::MIN,
    f32::EPSILON, 0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 1.0, -1.0, 0.5, -0.5, 16777216.0,
    16777217.0, 1e-7, 1e-6, 1e20, 1e21, 1e-20, 123456.79, 3.1415927, 2.7182817, 1e10, 1e-10,
    100.0, 1e38, -1.5, 0.1 + 0.2, 8388608.5, 4294967296.0, 1.17549435e-38, 3.4028235e38,
    9.999999e-39, 1.0e-44, 7.0e-45, 0.0000001, 1234567.9, 0.33333334, 65504.0,
];

const F64_SPECIAL: &[f64] = &[
    0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, f64::MAX, f64::MIN,
    f64::EPSILON, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 1.0, -1.0, 0.5, 9007199254740992.0,
    9007199254740993.0, 1e-7, 1e15, 1e16, 1e21, 1e22, 1e23, 1e-300, 1e300, 5e-324, 2.2250738585072009e-308,
    123456789012345680000.0, std::f64::consts::PI, std::f64::consts::E, 1e100, -2.5, 4503599627370496.5,
    1.7976931348623157e308, 4.9406564584124654e-324, 0.000001, 1e-5, 18446744073709551616.0,
    9223372036854775807.0, 0.30000000000000004, 100.0, 1e-320,
];

fn gen_f32(rng: &mut Rng) -> f32 {
    match rng.below(10) {
        0..=2 => *rng.pick(F32_SPECIAL),
        3..=5 => f32::from_bits(rng.next() as u32),
        6 => f32::from_bits(rng.next() as u32 & 0x807f_ffff), // subnormals
        7 => rng.range(-1_000_000, 1_000_000) as f32 / 10f32.powi(rng.below(8) as i32),
        8 => rng.range(-100, 100) as f32,
        _ => (rng.next() as u32 as f32) * 2f32.powi(rng.range(-60, 60) as i32),
    }
}

fn gen_f64(rng: &mut Rng) -> f64 {
    match rng.below(10) {
        0..=2 => *rng.pick(F64_SPECIAL),
        3..=5 => f64::from_bits(rng.next()),
        6 => f64::from_bits(rng.next() & 0x800f_ffff_ffff_ffff),
        7 => rng.range(-1_000_000_000, 1_000_000_000) as f64 / 10f64.powi(rng.below(12) as i32),
        8 => rng.range(-100, 100) as f64,
        _ => (rng.next() as f64) * 2f64.powi(rng.range(-200, 200) as i32),
    }
}

const SPECIAL_CHARS: &[char] = &[
    '\'', '"', '\\', '\t', '\n', '\r', '\0', '\u{1}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}',
    '\u{85}', '\u{9f}', '\u{a0}', '\u{ad}', 'é', 'ß', 'ñ', 'Ω', 'ж', '中', '文', '日', '本', '한',
    '😀', '👋', '🦀', '\u{1F3FB}', '\u{FFFD}', '\u{301}', '\u{300}', '\u{200B}', '\u{200C}',
    '\u{200D}', '\u{200E}', '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{E000}', '\u{F8FF}', '\u{378}',
    '\u{FFFE}', '\u{FFFF}', '\u{10FFFF}', '\u{E0001}', '\u{E0100}', '\u{FE0F}', '\u{3000}',
    '\u{2000}', '\u{1680}', '\u{61C}', '\u{600}', '\u{110BD}', '\u{1D173}', '\u{F0000}',
    '/', '%', '{', '}', '(', ')', '[', ']', ',', ':', ' ', '-', '.', 'a', 'Z', '0', '9', '~',
];

fn random_scalar(rng: &mut Rng) -> char {
    loop {
        let v = match rng.below(4) {
            0 => rng.below(0x80) as u32,
            1 => rng.below(0x800) as u32,
            2 => rng.below(0x10000) as u32,
            _ => rng.below(0x110000) as u32,
        };
        if let Some(c) = char::from_u32(v) {
            return c;
        }
    }
}

fn gen_char(rng: &mut Rng) -> char {
    match rng.below(10) {
        0..=3 => *rng.pick(SPECIAL_CHARS),
        4..=6 => (b' ' + rng.below(95) as u8) as char,
        _ => random_scalar(rng),
    }
}

fn gen_string(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => String::new(),
        1 => rng
            .pick(&[
                "hello, world", "//not a comment", "\"\"\"", "a\nb\nc", "\n", "\r\n", "tab\there",
                "%true", "{a: 1}", "'single'", "\\u{41}", "C:\\path\\file", "é中😀\u{FFFD}",
                "  leading and trailing  ", "line\r\nbreak", "\u{0}\u{1}\u{2}",
            ])
            .to_string(),
        _ => {
            let n = rng.below(13);
            (0..n)
                .map(|_| if rng.chance(0.5) { (b' ' + rng.below(95) as u8) as char } else { gen_char(rng) })
                .collect()
        }
    }
}

fn gen_val(rng: &mut Rng, ty: &Ty, depth: u32) -> Val {
    let list_len = |rng: &mut Rng| -> usize {
        if depth >= 3 { rng.below(3) } else if rng.chance(0.15) { 0 } else { rng.below(5) }
    };
    match ty {
        Ty::Bool => Val::Bool(rng.chance(0.5)),
        Ty::S8 => Val::S8(gen_int(rng, 8, true) as i8),
        Ty::U8 => Val::U8(gen_int(rng, 8, false) as u8),
        Ty::S16 => Val::S16(gen_int(rng, 16, true) as i16),
        Ty::U16 => Val::U16(gen_int(rng, 16, false) as u16),
        Ty::S32 => Val::S32(gen_int(rng, 32, true) as i32),
        Ty::U32 => Val::U32(gen_int(rng, 32, false) as u32),
        Ty::S64 => Val::S64(gen_int(rng, 64, true) as i64),
        Ty::U64 => Val::U64(gen_int(rng, 64, false) as u64),
        Ty::F32 => Val::F32(gen_f32(rng)),
        Ty::F64 => Val::F64(gen_f64(rng)),
        Ty::Char => Val::Char(gen_char(rng)),
        Ty::Str => Val::Str(gen_string(rng)),
        Ty::List(e) => {
            let n = list_len(rng);
            Val::List((0..n).map(|_| gen_val(rng, e, depth + 1)).collect())
        }
        Ty::Record(fs) => {
            let all_none = rng.chance(0.15);
            Val::Record(
                fs.iter()
                    .map(|(_, t)| match t {
                        Ty::Option(_) if all_none => Val::Option(None),
                        _ => gen_val(rng, t, depth + 1),
                    })
                    .collect(),
            )
        }
        Ty::Tuple(ts) => Val::Tuple(ts.iter().map(|t| gen_val(rng, t, depth + 1)).collect()),
        Ty::Variant(cs) => {
            let i = rng.below(cs.len());
            Val::Variant(i, cs[i].1.as_ref().map(|t| Box::new(gen_val(rng, t, depth + 1))))
        }
        Ty::Enum(ns) => Val::Enum(rng.below(ns.len())),
        Ty::Option(t) => {
            if rng.chance(0.35) {
                Val::Option(None)
            } else {
                Val::Option(Some(Box::new(gen_val(rng, t, depth + 1))))
            }
        }
        Ty::Result(o, e) => {
            if rng.chance(0.5) {
                Val::Result(Ok(o.as_ref().map(|t| Box::new(gen_val(rng, t, depth + 1)))))
            } else {
                Val::Result(Err(e.as_ref().map(|t| Box::new(gen_val(rng, t, depth + 1)))))
            }
        }
        Ty::Flags(ns) => {
            let bits = match rng.below(6) {
                0 => vec![false; ns.len()],
                1 => vec![true; ns.len()],
                2 => {
                    let k = rng.below(ns.len());
                    (0..ns.len()).map(|i| i == k).collect()
                }
                _ => (0..ns.len()).map(|_| rng.chance(0.5)).collect(),
            };
            Val::Flags(bits)
        }
    }
}

// ---------------------------------------------------------------------------
// Alternative (non-canonical) printer, and a faulty printer for rejects.

struct Alt<'r> {
    rng: &'r mut Rng,
    /// Probability of replacing canonical spacing by random whitespace/comments.
    p_ws: f64,
    /// Probability of each other non-canonical choice at a node.
    p_alt: f64,
    /// Node index at which to inject a fault (rejects), or usize::MAX.
    fault_at: usize,
    node: usize,
    /// Set when a choice may change the value (e.g. rounding float digits),
    /// so a differing canonical re-print is expected.
    value_may_change: bool,
    /// Description of the injected fault, if any.
    fault: Option<&'static str>,
}

const WS_PIECES: &[&str] = &[
    " ", "  ", "\t", "\n", "\r\n", " \n  ", "\n\t", " // comment\n", "//\n", " /* not a comment? */ ",
    "\n// line comment, with: punctuation {}[]()\"'%\n", "   ", "\r\n\t\t",
];

impl<'r> Alt<'r> {
    fn new(rng: &'r mut Rng, p_ws: f64, p_alt: f64) -> Self {
        Alt { rng, p_ws, p_alt, fault_at: usize::MAX, node: 0, value_may_change: false, fault: None }
    }

    /// Whitespace where the canonical form has `canon`.
    fn ws(&mut self, canon: &str) -> String {
        if !self.rng.chance(self.p_ws) {
            return canon.to_string();
        }
        let n = 1 + self.rng.below(2);
        let mut s = String::new();
        for _ in 0..n {
            let piece = *self.rng.pick(WS_PIECES);
            if piece.contains("/*") {
                continue; // `/*` is not a comment in WAVE; never emit it in accept inputs
            }
            s.push_str(piece);
        }
        if self.rng.chance(0.2) { String::new() } else { s }
    }

    fn alt(&mut self) -> bool {
        self.rng.chance(self.p_alt)
    }

    fn label(&mut self, name: &str, escape_required: bool) -> String {
        if escape_required || self.alt() { format!("%{name}") } else { name.to_string() }
    }

    fn hex_escape(&mut self, c: char) -> String {
        let digits = format!("{:x}", c as u32);
        let pad = self.rng.below(7 - digits.len());
        let mut d = "0".repeat(pad) + &digits;
        if self.rng.chance(0.5) {
            d = d.to_uppercase();
        }
        format!("\\u{{{d}}}")
    }

    /// One character inside a char ('...') or single-line string ("...") literal.
    fn lit_char(&mut self, c: char, quote: char, out: &mut String) {
        let canon = {
            let mut s = String::new();
            match c {
                '\\' | '"' | '\'' | '\t' | '\r' | '\n' => s.extend(c.escape_default()),
                c if c.is_control() => s.extend(c.escape_unicode()),
                c => s.extend(c.escape_debug()),
            }
            s
        };
        if !self.alt() {
            out.push_str(&canon);
            return;
        }
        match c {
            '\n' | '\\' => out.push_str(&self.hex_escape(c)),
            c if c == quote => out.push_str(&self.hex_escape(c)),
            _ => {
                if self.rng.chance(0.5) {
                    out.push(c); // raw
                } else {
                    out.push_str(&self.hex_escape(c));
                }
            }
        }
    }

    fn multiline(&mut self, s: &str) -> String {
        let indent = " ".repeat(self.rng.below(5));
        let crlf = self.rng.chance(0.3);
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut out = String::from("\"\"\"");
        out.push_str(nl);
        for line in s.split('\n') {
            out.push_str(&indent);
            let chars: Vec<char> = line.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\r' => out.push_str("\\r"),
                    '"' => {
                        let near_quote = (i > 0 && chars[i - 1] == '"') || chars.get(i + 1) == Some(&'"');
                        if near_quote || self.rng.chance(0.5) {
                            out.push_str("\\\"");
                        } else {
                            out.push('"');
                        }
                    }
                    '\t' if self.rng.chance(0.5) => out.push('\t'),
                    c if self.rng.chance(0.15) => out.push_str(&self.hex_escape(c)),
                    c if c.is_control() => out.push_str(&self.hex_escape(c)),
                    c => out.push(c),
                }
            }
            out.push_str(nl);
        }
        out.push_str(&indent);
        out.push_str("\"\"\"");
        out
    }

    fn float_alt(&mut self, canon: String, exp: String, exp_long: String, extra: Vec<String>) -> String {
        // canon: Display; exp: LowerExp; exp_long: LowerExp with many digits
        let mut opts = vec![exp.clone(), exp.replace('e', "E")];
        if !exp.contains("e-") {
            opts.push(exp.replace('e', "e+"));
        }
        if canon.contains('.') {
            opts.push(format!("{canon}000"));
        } else {
            opts.push(format!("{canon}.0"));
            opts.push(format!("{canon}.000e0"));
        }
        opts.push(exp_long);
        opts.extend(extra);
        self.rng.pick(&opts).clone()
    }

    fn f32_text(&mut self, f: f32) -> String {
        let canon = wasm_wave::to_string(&Value::make_f32(f)).unwrap();
        if !self.alt() {
            return canon;
        }
        if f.is_nan() {
            return canon;
        }
        if f.is_infinite() {
            let s = if f > 0.0 { "" } else { "-" };
            return format!("{s}{}", self.rng.pick(&["1e39", "1e999", "3.5e38", "340282357000000000000000000000000000000", "99999999999999999999999999999999999999999"]));
        }
        if f == 0.0 {
            let s = if f.is_sign_negative() { "-" } else { "" };
            return format!("{s}{}", self.rng.pick(&["0.0", "0e0", "0.000", "0E-5", "1e-50", "1e-999", "0.0000000000000000000000000000000000000000000007"]));
        }
        let mut extra = vec![format!("{}", f as f64)];
        let r = self.rng.below(4);
        if r == 0 {
            // random extra digits: may round to a neighbour
            self.value_may_change = true;
            let e = format!("{:e}", f);
            let (m, x) = e.split_once('e').unwrap();
            let m = if m.contains('.') { m.to_string() } else { format!("{m}.") };
            let tail: String = (0..1 + self.rng.below(12)).map(|_| (b'0' + self.rng.below(10) as u8) as char).collect();
            extra.push(format!("{m}{tail}e{x}"));
        } else if r == 1 && f.abs() < f32::MAX {
            // exact decimal midpoint to the next f32 away from zero (ties-to-even),
            // or a hair above / below it
            self.value_may_change = true;
            let bits = f.to_bits();
            let (exp, frac) = ((bits >> 23) & 0xff, (bits & 0x7f_ffff) as u64);
            let (m, e) = if exp == 0 { (frac, -149) } else { (frac | 1 << 23, exp as i32 - 150) };
            let which = self.rng.below(3);
            extra.push(midpoint_text(m, e, f.is_sign_negative(), which));
            extra.push(midpoint_text(m, e, f.is_sign_negative(), which));
        }
        let exp = format!("{:e}", f);
        let long = format!("{:.20e}", f);
        self.float_alt(canon, exp, long, extra)
    }

    fn f64_text(&mut self, f: f64) -> String {
        let canon = wasm_wave::to_string(&Value::make_f64(f)).unwrap();
        if !self.alt() {
            return canon;
        }
        if f.is_nan() {
            return canon;
        }
        if f.is_infinite() {
            let s = if f > 0.0 { "" } else { "-" };
            return format!("{s}{}", self.rng.pick(&["1e309", "1e999", "2e308", "1.8e308"]));
        }
        if f == 0.0 {
            let s = if f.is_sign_negative() { "-" } else { "" };
            return format!("{s}{}", self.rng.pick(&["0.0", "0e0", "0.000", "0E+5", "1e-400", "2e-324", "1e-999"]));
        }
        let mut extra = vec![];
        let r = self.rng.below(4);
        if r == 0 {
            self.value_may_change = true;
            let e = format!("{:e}", f);
            let (m, x) = e.split_once('e').unwrap();
            let m = if m.contains('.') { m.to_string() } else { format!("{m}.") };
            let tail: String = (0..1 + self.rng.below(12)).map(|_| (b'0' + self.rng.below(10) as u8) as char).collect();
            extra.push(format!("{m}{tail}e{x}"));
        } else if r == 1 && f.abs() < f64::MAX {
            self.value_may_change = true;
            let bits = f.to_bits();
            let (exp, frac) = ((bits >> 52) & 0x7ff, bits & 0xf_ffff_ffff_ffff);
            let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | 1 << 52, exp as i32 - 1075) };
            let which = self.rng.below(3);
            extra.push(midpoint_text(m, e, f.is_sign_negative(), which));
            extra.push(midpoint_text(m, e, f.is_sign_negative(), which));
        }
        let exp = format!("{:e}", f);
        let long = format!("{:.25e}", f);
        self.float_alt(canon, exp, long, extra)
    }

    fn int_text(&mut self, v: i128, signed: bool) -> String {
        if v == 0 && signed && self.alt() { "-0".to_string() } else { v.to_string() }
    }

    /// Prints `v` of type `ty` (or a fault at the chosen node).
    fn print(&mut self, ty: &Ty, v: &Val, out: &mut String) {
        let idx = self.node;
        self.node += 1;
        if idx == self.fault_at {
            if let Some(s) = self.faulty(ty, v) {
                out.push_str(&s);
                return;
            }
            // no fault for this node; try the next one
            self.fault_at += 1;
        }
        match (ty, v) {
            (Ty::Bool, Val::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            (Ty::S8, Val::S8(x)) => out.push_str(&self.int_text(*x as i128, true)),
            (Ty::S16, Val::S16(x)) => out.push_str(&self.int_text(*x as i128, true)),
            (Ty::S32, Val::S32(x)) => out.push_str(&self.int_text(*x as i128, true)),
            (Ty::S64, Val::S64(x)) => out.push_str(&self.int_text(*x as i128, true)),
            (Ty::U8, Val::U8(x)) => out.push_str(&x.to_string()),
            (Ty::U16, Val::U16(x)) => out.push_str(&x.to_string()),
            (Ty::U32, Val::U32(x)) => out.push_str(&x.to_string()),
            (Ty::U64, Val::U64(x)) => out.push_str(&x.to_string()),
            (Ty::F32, Val::F32(f)) => {
                let s = self.f32_text(*f);
                out.push_str(&s)
            }
            (Ty::F64, Val::F64(f)) => {
                let s = self.f64_text(*f);
                out.push_str(&s)
            }
            (Ty::Char, Val::Char(c)) => {
                out.push('\'');
                self.lit_char(*c, '\'', out);
                out.push('\'');
            }
            (Ty::Str, Val::Str(s)) => {
                if !s.contains("\"\"\"") && self.rng.chance(self.p_alt * 0.5) {
                    let m = self.multiline(s);
                    out.push_str(&m);
                } else {
                    out.push('"');
                    for c in s.chars() {
                        self.lit_char(c, '"', out);
                    }
                    out.push('"');
                }
            }
            (Ty::List(e), Val::List(xs)) => {
                out.push('[');
                if xs.is_empty() {
                    out.push_str(&self.ws(""));
                } else {
                    self.seq(xs.iter().map(|x| (&**e, x)).collect(), out);
                }
                out.push(']');
            }
            (Ty::Tuple(ts), Val::Tuple(xs)) => {
                out.push('(');
                self.seq(ts.iter().zip(xs).collect(), out);
                out.push(')');
            }
            (Ty::Record(fs), Val::Record(xs)) => self.record(fs, xs, out),
            (Ty::Variant(cs), Val::Variant(i, p)) => {
                let (name, t) = &cs[*i];
                out.push_str(&self.label(name, is_keyword(name)));
                if let (Some(t), Some(p)) = (t, p) {
                    out.push_str(&self.ws(""));
                    out.push('(');
                    out.push_str(&self.ws(""));
                    self.print(t, p, out);
                    out.push_str(&self.ws(""));
                    out.push(')');
                }
            }
            (Ty::Enum(ns), Val::Enum(i)) => {
                let name = &ns[*i];
                out.push_str(&self.label(name, is_keyword(name)));
            }
            (Ty::Option(t), Val::Option(p)) => match p {
                None => out.push_str("none"),
                Some(p) => {
                    if t.flattenable() && self.alt() {
                        self.print(t, p, out);
                    } else {
                        out.push_str("some");
                        out.push_str(&self.ws(""));
                        out.push('(');
                        out.push_str(&self.ws(""));
                        self.print(t, p, out);
                        out.push_str(&self.ws(""));
                        out.push(')');
                    }
                }
            },
            (Ty::Result(o, e), Val::Result(r)) => {
                let (kw, t, p) = match r {
                    Ok(p) => ("ok", o, p),
                    Err(p) => ("err", e, p),
                };
                match (t, p) {
                    (Some(t), Some(p)) => {
                        if kw == "ok" && t.flattenable() && self.alt() {
                            self.print(t, p, out);
                        } else {
                            out.push_str(kw);
                            out.push_str(&self.ws(""));
                            out.push('(');
                            out.push_str(&self.ws(""));
                            self.print(t, p, out);
                            out.push_str(&self.ws(""));
                            out.push(')');
                        }
                    }
                    _ => out.push_str(kw),
                }
            }
            (Ty::Flags(ns), Val::Flags(bits)) => {
                let mut set: Vec<&String> = ns.iter().zip(bits).filter(|(_, b)| **b).map(|(n, _)| n).collect();
                if self.alt() {
                    self.rng.shuffle(&mut set);
                }
                out.push('{');
                if set.is_empty() {
                    out.push_str(&self.ws(""));
                } else {
                    out.push_str(&self.ws(""));
                    let drop_commas = self.rng.chance(self.p_alt * 0.2);
                    for (i, n) in set.iter().enumerate() {
                        if i > 0 {
                            out.push_str(&self.ws(""));
                            if drop_commas {
                                out.push(' ');
                            } else {
                                out.push(',');
                            }
                            out.push_str(&self.ws(" "));
                        }
                        out.push_str(n); // `%` is not accepted on flags by this crate
                    }
                    out.push_str(&self.ws(""));
                    if self.alt() {
                        out.push(',');
                        out.push_str(&self.ws(""));
                    }
                }
                out.push('}');
            }
            _ => panic!("value does not match type"),
        }
    }

    fn seq(&mut self, items: Vec<(&Ty, &Val)>, out: &mut String) {
        out.push_str(&self.ws(""));
        for (i, (t, x)) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.ws(""));
                out.push(',');
                out.push_str(&self.ws(" "));
            }
            self.print(t, x, out);
        }
        out.push_str(&self.ws(""));
        if self.alt() {
            out.push(',');
            out.push_str(&self.ws(""));
        }
    }

    fn record(&mut self, fs: &[(String, Ty)], xs: &[Val], out: &mut String) {
        // (label text, type, value or a literal)
        enum F<'a> {
            V(&'a Ty, &'a Val),
            Lit(String),
        }
        let mut items: Vec<(String, F)> = Vec::new();
        for ((n, t), x) in fs.iter().zip(xs) {
            let is_none = matches!(x, Val::Option(None));
            if is_none && !self.alt() {
                continue; // canonical: omitted
            }
            let label = self.label(n, false);
            items.push((label, F::V(t, x)));
        }
        if self.rng.chance(self.p_alt * 0.15) {
            // unknown fields are ignored by the crate (but must be well-formed)
            let extra_name = *self.rng.pick(&["zz-unknown", "extra", "not-a-field", "q9"]);
            if !fs.iter().any(|(n, _)| n == extra_name) {
                let lit = self.rng.pick(&["1", "\"s\"", "[1, 2]", "{x: 1}", "%none", "some(1)", "(1, 'c')", "{a, b}"]).to_string();
                items.push((extra_name.to_string(), F::Lit(lit)));
            }
        }
        if self.alt() {
            self.rng.shuffle(&mut items);
        }
        out.push('{');
        if items.is_empty() {
            out.push_str(&self.ws(""));
            out.push(':');
            out.push_str(&self.ws(""));
            out.push('}');
            return;
        }
        let drop_commas = self.rng.chance(self.p_alt * 0.2);
        out.push_str(&self.ws(""));
        for (i, (label, f)) in items.into_iter().enumerate() {
            if i > 0 {
                out.push_str(&self.ws(""));
                if drop_commas {
                    out.push(' ');
                } else {
                    out.push(',');
                }
                out.push_str(&self.ws(" "));
            }
            out.push_str(&label);
            out.push_str(&self.ws(""));
            out.push(':');
            out.push_str(&self.ws(" "));
            match f {
                F::V(t, x) => self.print(t, x, out),
                F::Lit(s) => out.push_str(&s),
            }
        }
        out.push_str(&self.ws(""));
        if self.alt() {
            out.push(',');
            out.push_str(&self.ws(""));
        }
        out.push('}');
    }

    /// A rendering of a node of type `ty` that should be rejected.
    fn faulty(&mut self, ty: &Ty, v: &Val) -> Option<String> {
        let canon = crate_print(ty, v);
        let mut opts: Vec<(&'static str, String)> = Vec::new();
        let generic: Vec<(&'static str, String)> = vec![
            ("garbage-after", format!("{canon} x")),
            ("garbage-after", format!("{canon})")),
            ("garbage-after", format!("{canon}]")),
            ("garbage-after", format!("{canon}}}")),
            ("truncated", canon.chars().take(canon.chars().count().saturating_sub(1)).collect()),
            ("type-mismatch", "\"text\"".into()),
            ("type-mismatch", "[1, 2]".into()),
            ("type-mismatch", "(1, 2)".into()),
            ("type-mismatch", "'c'".into()),
            ("type-mismatch", "{zz}".into()),
            ("type-mismatch", "{zz: 1}".into()),
            ("type-mismatch", "1".into()),
            ("type-mismatch", "true".into()),
            ("type-mismatch", "zz-case".into()),
            ("type-mismatch", "null".into()),
            ("block-comment", format!("/* c */ {canon}")),
            ("hash-comment", format!("# c\n{canon}")),
            ("bad-whitespace", format!("\u{a0}{canon}")),
            ("bad-whitespace", format!("\u{c}{canon}")),
        ];
        let int_faults = |bits: u32, signed: bool, v: i128| -> Vec<(&'static str, String)> {
            let (min, max): (i128, i128) = if signed {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                (0, (1i128 << bits) - 1)
            };
            let mut f = vec![
                ("int-overflow", (max + 1).to_string()),
                ("int-overflow", (min - 1).to_string()),
                ("int-overflow", (max as u128 * 10 + 7).to_string()),
                ("int-overflow", "340282366920938463463374607431768211456".into()),
                ("int-fraction", format!("{v}.0")),
                ("int-fraction", format!("{v}.5")),
                ("int-exponent", format!("{v}e0")),
                ("int-exponent", "1e2".into()),
                ("int-plus", format!("+{}", v.abs())),
                ("int-hex", format!("0x{:x}", v.abs())),
                ("int-leading-zero", format!("0{}", v.abs())),
                ("int-leading-zero", "007".into()),
                ("int-underscore", "1_000".into()),
                ("int-space", format!("- {}", v.abs().max(1))),
                ("int-special", "inf".into()),
                ("int-special", "-inf".into()),
                ("int-special", "nan".into()),
                ("int-quoted", format!("\"{v}\"")),
                ("int-double-minus", format!("--{}", v.abs().max(1))),
            ];
            if !signed {
                f.push(("int-negative", "-1".into()));
                f.push(("int-negative-zero", "-0".into()));
                f.push(("int-negative", format!("-{}", v.max(1))));
            }
            f
        };
        match (ty, v) {
            (Ty::Bool, _) => {
                for s in ["True", "FALSE", "1", "0", "yes", "\"true\"", "%true", "%false", "t", "true()", "tru"] {
                    opts.push(("bad-bool", s.into()));
                }
            }
            (Ty::S8, Val::S8(x)) => opts.extend(int_faults(8, true, *x as i128)),
            (Ty::S16, Val::S16(x)) => opts.extend(int_faults(16, true, *x as i128)),
            (Ty::S32, Val::S32(x)) => opts.extend(int_faults(32, true, *x as i128)),
            (Ty::S64, Val::S64(x)) => opts.extend(int_faults(64, true, *x as i128)),
            (Ty::U8, Val::U8(x)) => opts.extend(int_faults(8, false, *x as i128)),
            (Ty::U16, Val::U16(x)) => opts.extend(int_faults(16, false, *x as i128)),
            (Ty::U32, Val::U32(x)) => opts.extend(int_faults(32, false, *x as i128)),
            (Ty::U64, Val::U64(x)) => opts.extend(int_faults(64, false, *x as i128)),
            (Ty::F32, _) | (Ty::F64, _) => {
                for s in [
                    "1.", ".5", "-.5", "1e", "1e+", "1.e5", "+1", "+1.5", "NaN", "NAN", "Nan", "Infinity", "INF",
                    "Inf", "+inf", "-nan", "+nan", "infinity", "0x1p3", "0x10", "1,5", "1_0", "1.0f", "1f",
                    "\"1.0\"", "- 1", "--1", "00.5", "01", "01.5", "1e5.5", "1ee5", "1.2.3", "e5", "-", "- inf",
                    "%inf", "%nan", "true", "1d", "5%", "1.5e-3x",
                ] {
                    opts.push(("bad-float", s.into()));
                }
            }
            (Ty::Char, _) => {
                for s in [
                    "''", "'ab'", "'\\u{d800}'", "'\\u{DFFF}'", "'\\u{110000}'", "'\\u{}'", "'\\u{1234567}'",
                    "'\\u{0000041}'", "'\\x41'", "'\\a'", "'\\0'", "'\\'", "'a", "a'", "\"a\"", "a", "'\n'",
                    "'\\U{41}'", "'\\u41'", "'\\u{41'", "'\\u{g}'", "'e\u{301}'", "97", "'''", "'\\u{-1}'",
                    "'\\u{ 41}'", "'\\ u{41}'", "'\\b'", "'\\f'", "'\\v'", "'\\/'", "'😀😀'", "'abcde'",
                ] {
                    opts.push(("bad-char", s.into()));
                }
            }
            (Ty::Str, _) => {
                for s in [
                    "\"abc", "abc\"", "\"a\nb\"", "\"\\q\"", "\"\\u{d800}\"", "\"\\u{110000}\"", "\"\\u{}\"",
                    "\"\\u{1234567}\"", "\"\\x41\"", "\"\\0\"", "\"\\\"", "'abc'", "\"\"\"abc\"\"\"",
                    "\"\"\"\n a\n  \"\"\"", "\"\"\"\n\ta\n\t\"\"\"", "\"\"\"\n  a\n\n  \"\"\"", "\"\"\"\na\n",
                    "\"\"\"\n a\\q\n \"\"\"", "\"\"\"\n a \"\"\"", "\"\"\" \n a\n \"\"\"", "\"\"\"\n a\n x\"\"\"",
                    "\"a\" \"b\"", "\"a\" + \"b\"", "\"\\u{41\"", "\"\\u41\"", "\"\\U{41}\"", "\"\\b\"",
                    "\"\\/\"", "r\"raw\"", "\"\"\"", "\"", "\"\"\"\"",
                ] {
                    opts.push(("bad-string", s.into()));
                }
            }
            (Ty::List(e), Val::List(xs)) => {
                let items: Vec<String> = xs.iter().map(|x| crate_print(e, x)).collect();
                let j = items.join(", ");
                opts.push(("list-unclosed", format!("[{j}")));
                opts.push(("list-unopened", format!("{j}]")));
                opts.push(("list-as-tuple", format!("({j})")));
                opts.push(("list-as-braces", format!("{{{j}}}")));
                opts.push(("list-lone-comma", "[,]".into()));
                opts.push(("list-leading-comma", format!("[, {j}]")));
                opts.push(("list-double-comma", format!("[{j},,]")));
                if items.len() >= 2 {
                    opts.push(("list-missing-comma", format!("[{}]", items.join(" "))));
                    opts.push(("list-double-comma", format!("[{}]", items.join(",,"))));
                }
                let sep = if j.is_empty() { "" } else { ", " };
                opts.push(("list-wrong-element", format!("[{j}{sep}zz-case(\"x\")]")));
            }
            (Ty::Tuple(ts), Val::Tuple(xs)) => {
                let items: Vec<String> = ts.iter().zip(xs).map(|(t, x)| crate_print(t, x)).collect();
                opts.push(("tuple-empty", "()".into()));
                opts.push(("tuple-too-many", format!("({}, {})", items.join(", "), items[0])));
                if items.len() > 1 {
                    opts.push(("tuple-too-few", format!("({})", items[..items.len() - 1].join(", "))));
                    opts.push(("tuple-missing-comma", format!("({})", items.join(" "))));
                }
                opts.push(("tuple-as-list", format!("[{}]", items.join(", "))));
                opts.push(("tuple-unclosed", format!("({}", items.join(", "))));
                opts.push(("tuple-double-comma", format!("({},,)", items.join(", "))));
                opts.push(("tuple-bare", items.join(", ")));
            }
            (Ty::Record(fs), Val::Record(xs)) => {
                let pairs: Vec<(String, String)> =
                    fs.iter().zip(xs).map(|((n, t), x)| (n.clone(), crate_print(t, x))).collect();
                let join = |ps: &[(String, String)], sep: &str| {
                    ps.iter().map(|(n, v)| format!("{n}{sep}{v}")).collect::<Vec<_>>().join(", ")
                };
                if let Some(k) = fs.iter().position(|(_, t)| !matches!(t, Ty::Option(_))) {
                    let mut ps = pairs.clone();
                    ps.remove(k);
                    let missing: String = if ps.is_empty() { "{:}".into() } else { format!("{{{}}}", join(&ps, ": ")) };
                    for _ in 0..4 {
                        opts.push(("record-missing-field", missing.clone()));
                    }
                    opts.push(("record-empty", "{:}".into()));
                }
                let (n0, v0) = pairs[0].clone();
                opts.push(("record-duplicate-field", format!("{{{}, {n0}: {v0}}}", join(&pairs, ": "))));
                opts.push(("record-duplicate-field", format!("{{{}, %{n0}: {v0}}}", join(&pairs, ": "))));
                opts.push(("record-missing-colon", format!("{{{}}}", join(&pairs, " "))));
                opts.push(("record-double-colon", format!("{{{}}}", join(&pairs, ":: "))));
                opts.push(("record-equals", format!("{{{}}}", join(&pairs, " = "))));
                opts.push(("record-missing-value", format!("{{{n0}: }}")));
                opts.push(("record-double-comma", format!("{{{},,}}", join(&pairs, ": "))));
                opts.push(("record-leading-comma", format!("{{, {}}}", join(&pairs, ": "))));
                opts.push(("record-unclosed", format!("{{{}", join(&pairs, ": "))));
                opts.push(("record-as-flags", "{}".into()));
                opts.push(("record-quoted-name", format!("{{\"{n0}\": {v0}}}")));
                opts.push(("record-bad-label", format!("{{{}: {v0}}}", n0.to_uppercase() + "x")));
                opts.push(("record-bad-label", format!("{{-{n0}: {v0}}}")));
                opts.push(("record-bad-label", format!("{{{n0}-: {v0}}}")));
                opts.push(("record-bad-label", format!("{{{n0}--x: {v0}}}")));
                opts.push(("record-bad-label", format!("{{%%{n0}: {v0}}}")));
                opts.push(("record-bad-label", format!("{{% {n0}: {v0}}}")));
                opts.push(("record-as-tuple", format!("({})", pairs.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(", "))));
            }
            (Ty::Variant(cs), Val::Variant(i, p)) => {
                let (name, t) = &cs[*i];
                let label = if is_keyword(name) { format!("%{name}") } else { name.clone() };
                let payload = match (t, p) {
                    (Some(t), Some(p)) => Some(crate_print(t, p)),
                    _ => None,
                };
                opts.push(("variant-unknown-case", "zz-unknown".into()));
                opts.push(("variant-unknown-case", format!("{}x", label)));
                opts.push(("variant-unknown-case", label.to_uppercase() + "-Q"));
                match &payload {
                    Some(p) => {
                        opts.push(("variant-missing-payload", label.clone()));
                        opts.push(("variant-empty-payload", format!("{label}()")));
                        opts.push(("variant-unclosed-payload", format!("{label}({p}")));
                        opts.push(("variant-two-payloads", format!("{label}({p}, {p})")));
                        opts.push(("variant-double-parens", format!("{label}(({p}))")));
                        opts.push(("variant-extra-payload", format!("{label}({p})({p})")));
                        opts.push(("variant-bracket-payload", format!("{label}[{p}]")));
                    }
                    None => {
                        opts.push(("variant-unexpected-payload", format!("{label}(1)")));
                        opts.push(("variant-unexpected-payload", format!("{label}(\"x\")")));
                        opts.push(("variant-empty-payload", format!("{label}()")));
                    }
                }
                if is_keyword(name) {
                    let raw = match &payload {
                        Some(p) => format!("{name}({p})"),
                        None => name.clone(),
                    };
                    opts.push(("variant-unescaped-keyword", raw.clone()));
                    opts.push(("variant-unescaped-keyword", raw));
                }
                opts.push(("variant-double-percent", format!("%{label}")));
                opts.push(("variant-lone-percent", "%".into()));
                opts.push(("variant-quoted", format!("\"{name}\"")));
            }
            (Ty::Enum(ns), Val::Enum(i)) => {
                let name = &ns[*i];
                let label = if is_keyword(name) { format!("%{name}") } else { name.clone() };
                opts.push(("enum-unknown-case", "zz-unknown".into()));
                opts.push(("enum-unknown-case", format!("{label}-x")));
                opts.push(("enum-unknown-case", label.to_uppercase() + "-Q"));
                opts.push(("enum-payload", format!("{label}(1)")));
                opts.push(("enum-empty-payload", format!("{label}()")));
                opts.push(("enum-quoted", format!("\"{name}\"")));
                opts.push(("enum-double-percent", format!("%{label}")));
                opts.push(("enum-bad-label", format!("{name}-")));
                opts.push(("enum-bad-label", format!("-{name}")));
                opts.push(("enum-bad-label", format!("{name}--b")));
                if name.chars().any(|c| c.is_ascii_lowercase()) && name.contains('-') {
                    // mixed-case word: not a label
                    let mut cs: Vec<char> = name.chars().collect();
                    cs[0] = cs[0].to_ascii_uppercase();
                    opts.push(("enum-bad-label", cs.into_iter().collect()));
                }
                if is_keyword(name) {
                    opts.push(("enum-unescaped-keyword", name.clone()));
                    opts.push(("enum-unescaped-keyword", name.clone()));
                    opts.push(("enum-unescaped-keyword", name.clone()));
                }
            }
            (Ty::Option(t), Val::Option(p)) => {
                let inner = p.as_ref().map(|p| crate_print(t, p));
                opts.push(("option-empty-some", "some()".into()));
                opts.push(("option-bare-some", "some".into()));
                opts.push(("option-none-payload", "none()".into()));
                opts.push(("option-none-payload", "none(1)".into()));
                opts.push(("option-capitalized", format!("Some({})", inner.clone().unwrap_or("1".into()))));
                opts.push(("option-null", "null".into()));
                opts.push(("option-escaped-keyword", "%none".into()));
                if let Some(i) = &inner {
                    opts.push(("option-escaped-keyword", format!("%some({i})")));
                    opts.push(("option-two-payloads", format!("some({i}, {i})")));
                    opts.push(("option-unclosed", format!("some({i}")));
                    opts.push(("option-no-parens", format!("some {i}")));
                    if !t.flattenable() {
                        opts.push(("option-flattened-nonflattenable", i.clone()));
                        opts.push(("option-flattened-nonflattenable", i.clone()));
                    }
                }
            }
            (Ty::Result(o, e), Val::Result(r)) => {
                let pr = |t: &Option<Box<Ty>>, p: &Option<Box<Val>>| match (t, p) {
                    (Some(t), Some(p)) => Some(crate_print(t, p)),
                    _ => None,
                };
                let (kw, payload) = match r {
                    Ok(p) => ("ok", pr(o, p)),
                    Err(p) => ("err", pr(e, p)),
                };
                opts.push(("result-empty-payload", format!("{kw}()")));
                opts.push(("result-capitalized", format!("{}{}", kw[..1].to_uppercase(), &kw[1..])));
                opts.push(("result-escaped-keyword", format!("%{kw}")));
                match &payload {
                    Some(p) => {
                        opts.push(("result-missing-payload", kw.to_string()));
                        opts.push(("result-unclosed", format!("{kw}({p}")));
                        opts.push(("result-two-payloads", format!("{kw}({p}, {p})")));
                        let other = if kw == "ok" { "err" } else { "ok" };
                        let other_ty = if kw == "ok" { e } else { o };
                        if other_ty.is_none() {
                            opts.push(("result-unexpected-payload", format!("{other}({p})")));
                        }
                        if kw == "err" {
                            // a bare value always means `ok`
                            opts.push(("result-flattened-err", p.clone()));
                        }
                        if kw == "ok" && !o.as_ref().unwrap().flattenable() {
                            opts.push(("result-flattened-nonflattenable", p.clone()));
                        }
                    }
                    None => {
                        opts.push(("result-unexpected-payload", format!("{kw}(1)")));
                        opts.push(("result-unexpected-payload", format!("{kw}(\"x\")")));
                        opts.push(("result-unexpected-payload", format!("{kw}(none)")));
                    }
                }
            }
            (Ty::Flags(ns), Val::Flags(bits)) => {
                let set: Vec<&String> = ns.iter().zip(bits).filter(|(_, b)| **b).map(|(n, _)| n).collect();
                let j = set.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                let sep = if j.is_empty() { "" } else { ", " };
                opts.push(("flags-unknown", format!("{{{j}{sep}zz-unknown}}")));
                opts.push(("flags-unknown", "{zz-unknown}".into()));
                opts.push(("flags-duplicate", format!("{{{j}{sep}{}}}", ns[0])));
                opts.push(("flags-duplicate", format!("{{{}, {}}}", ns[ns.len() - 1], ns[ns.len() - 1])));
                // The crate rejects `%` on flag names (it does not strip it).
                opts.push(("flags-percent", format!("{{%{}}}", ns[0])));
                opts.push(("flags-percent", format!("{{{j}{sep}%{}}}", ns[ns.len() - 1])));
                opts.push(("flags-lone-comma", "{,}".into()));
                opts.push(("flags-double-comma", format!("{{{},,}}", ns[0])));
                opts.push(("flags-as-list", format!("[{j}]")));
                opts.push(("flags-unclosed", format!("{{{j}")));
                opts.push(("flags-as-record", "{:}".into()));
                opts.push(("flags-quoted", format!("{{\"{}\"}}", ns[0])));
                opts.push(("flags-with-values", format!("{{{}: true}}", ns[0])));
            }
            _ => {}
        }
        // Type-specific faults are more interesting than generic ones.
        if opts.is_empty() || self.rng.chance(0.15) {
            opts.extend(generic);
        }
        if opts.is_empty() {
            return None;
        }
        let (name, s) = self.rng.pick(&opts).clone();
        self.fault = Some(name);
        Some(s)
    }
}

fn count_nodes(ty: &Ty, v: &Val) -> usize {
    1 + match (ty, v) {
        (Ty::List(e), Val::List(xs)) => xs.iter().map(|x| count_nodes(e, x)).sum(),
        (Ty::Tuple(ts), Val::Tuple(xs)) => ts.iter().zip(xs).map(|(t, x)| count_nodes(t, x)).sum(),
        (Ty::Record(fs), Val::Record(xs)) => fs.iter().zip(xs).map(|((_, t), x)| count_nodes(t, x)).sum(),
        (Ty::Variant(cs), Val::Variant(i, Some(p))) => count_nodes(cs[*i].1.as_ref().unwrap(), p),
        (Ty::Option(t), Val::Option(Some(p))) => count_nodes(t, p),
        (Ty::Result(o, _), Val::Result(Ok(Some(p)))) => count_nodes(o.as_ref().unwrap(), p),
        (Ty::Result(_, e), Val::Result(Err(Some(p)))) => count_nodes(e.as_ref().unwrap(), p),
        _ => 0,
    }
}

// ---------------------------------------------------------------------------
// Output

#[derive(Default)]
struct Out {
    lines: Vec<String>,
    seen: HashSet<(String, String)>,
    counts: std::collections::BTreeMap<(String, String), usize>,
    faults: std::collections::BTreeMap<String, usize>,
    notes: Vec<String>,
}

impl Out {
    fn count(&mut self, case: &str, ty: &Ty) {
        *self.counts.entry((case.to_string(), ty.kind().to_string())).or_default() += 1;
    }

    fn print(&mut self, ty: &Ty, text: &str) -> bool {
        let tj = ty.to_json();
        if !self.seen.insert((format!("print {tj}"), text.to_string())) {
            return false;
        }
        // Every canonical text must round-trip through the crate's parser.
        match crate_parse(ty, text) {
            Ok(again) if again == text => {}
            Ok(again) => panic!("print text {text:?} re-prints as {again:?}"),
            Err(e) => panic!("print text {text:?} does not parse: {e}"),
        }
        let mut l = String::from(r#"{"case":"print","type":"#);
        l.push_str(&tj);
        l.push_str(r#","text":"#);
        json_str(&mut l, text);
        l.push('}');
        self.lines.push(l);
        self.count("print", ty);
        true
    }

    /// Adds an accept line if the crate accepts `input` and it is not canonical.
    fn accept(&mut self, ty: &Ty, input: &str) -> Result<bool, String> {
        let canonical = crate_parse(ty, input)?;
        if canonical == input {
            return Ok(false);
        }
        let tj = ty.to_json();
        if !self.seen.insert((format!("accept {tj}"), input.to_string())) {
            return Ok(false);
        }
        let mut l = String::from(r#"{"case":"accept","type":"#);
        l.push_str(&tj);
        l.push_str(r#","input":"#);
        json_str(&mut l, input);
        l.push_str(r#","canonical":"#);
        json_str(&mut l, &canonical);
        l.push('}');
        self.lines.push(l);
        self.count("accept", ty);
        Ok(true)
    }

    /// Adds a reject line if the crate rejects `input`.
    fn reject(&mut self, ty: &Ty, input: &str) -> Result<bool, String> {
        let err = match crate_parse(ty, input) {
            Ok(c) => return Err(c),
            Err(e) => e,
        };
        let tj = ty.to_json();
        if !self.seen.insert((format!("reject {tj}"), input.to_string())) {
            return Ok(false);
        }
        let mut l = String::from(r#"{"case":"reject","type":"#);
        l.push_str(&tj);
        l.push_str(r#","input":"#);
        json_str(&mut l, input);
        l.push_str(r#","error":"#);
        json_str(&mut l, &err);
        l.push('}');
        self.lines.push(l);
        self.count("reject", ty);
        Ok(true)
    }
}

// ---------------------------------------------------------------------------
// Hand-written lines: easy to read when they fail.

const FIXED_PRINT: &[(&str, &str)] = &[
    ("bool", "true"),
    ("bool", "false"),
    ("u8", "0"),
    ("u8", "255"),
    ("s8", "-128"),
    ("s8", "127"),
    ("u16", "65535"),
    ("s16", "-32768"),
    ("u32", "4294967295"),
    ("s32", "-2147483648"),
    ("u64", "18446744073709551615"),
    ("s64", "-9223372036854775808"),
    ("s64", "9223372036854775807"),
    ("f32", "0"),
    ("f32", "-0"),
    ("f32", "1"),
    ("f32", "-1.5"),
    ("f32", "0.1"),
    ("f32", "nan"),
    ("f32", "inf"),
    ("f32", "-inf"),
    ("f32", "16777216"),
    ("f32", "340282350000000000000000000000000000000"),
    ("f32", "0.000000000000000000000000000000000000011754944"),
    ("f32", "0.000000000000000000000000000000000000000000001"),
    ("f32", "0.0000001"),
    ("f32", "100000000000000000000"),
    ("f32", "0.33333334"),
    ("f64", "0.1"),
    ("f64", "0.30000000000000004"),
    ("f64", "-0"),
    ("f64", "nan"),
    ("f64", "1000000000000000000000"),
    ("f64", "9007199254740992"),
    ("f64", "3.141592653589793"),
    ("char", "'a'"),
    ("char", "'\\''"),
    ("char", "'\\\"'"),
    ("char", "'\\\\'"),
    ("char", "'\\t'"),
    ("char", "'\\n'"),
    ("char", "'\\r'"),
    ("char", "'\\u{0}'"),
    ("char", "'\\u{7f}'"),
    ("char", "'\\u{85}'"),
    ("char", "'\\u{a0}'"),
    ("char", "'\\u{ad}'"),
    ("char", "'\\u{301}'"),
    ("char", "'\\u{200b}'"),
    ("char", "'\\u{feff}'"),
    ("char", "'\\u{e000}'"),
    ("char", "'\\u{378}'"),
    ("char", "'\\u{10ffff}'"),
    ("char", "'é'"),
    ("char", "'中'"),
    ("char", "'😀'"),
    ("char", "'\u{FFFD}'"),
    ("char", "' '"),
    ("char", "'/'"),
    ("string", "\"\""),
    ("string", "\"hello, world\""),
    ("string", "\"it\\'s \\\"quoted\\\"\""),
    ("string", "\"a\\nb\\tc\\rd\\\\e\""),
    ("string", "\"\\u{0}\\u{1b}\\u{7f}\""),
    ("string", "\"é中😀\u{FFFD}\""),
    ("string", "\"e\\u{301}\""),
    ("string", "\"// not a comment\""),
    ("list<u8>", "[]"),
    ("list<u8>", "[1, 2, 3]"),
    ("list<list<string>>", "[[], [\"a\"], [\"b\", \"c\"]]"),
    ("record{a: u8, b: string}", "{a: 1, b: \"x\"}"),
    ("record{a: u8, b: option<u8>}", "{a: 1}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, b: some(2)}"),
    ("record{a: option<u8>, b: option<u8>}", "{:}"),
    ("record{a: option<u8>, b: option<u8>}", "{b: some(0)}"),
    ("record{true: bool, none: option<u8>, some: u8}", "{true: false, some: 1}"),
    ("record{a-b-c: u8, HTTP-OK: bool}", "{a-b-c: 1, HTTP-OK: true}"),
    ("tuple<u8>", "(1)"),
    ("tuple<u8, string, bool>", "(1, \"a\", true)"),
    ("variant{a(u8), b, c-d(string)}", "a(1)"),
    ("variant{a(u8), b, c-d(string)}", "b"),
    ("variant{a(u8), b, c-d(string)}", "c-d(\"x\")"),
    ("variant{true, false(u8), none, some(u8), ok, err(string), inf, nan}", "%true"),
    ("variant{true, false(u8), none, some(u8), ok, err(string), inf, nan}", "%false(1)"),
    ("variant{true, false(u8), none, some(u8), ok, err(string), inf, nan}", "%some(1)"),
    ("variant{true, false(u8), none, some(u8), ok, err(string), inf, nan}", "%nan"),
    ("enum{a, b-c, HTTP}", "b-c"),
    ("enum{a, b-c, HTTP}", "HTTP"),
    ("enum{true, false, none, some, ok, err, inf, nan, plain}", "%none"),
    ("enum{true, false, none, some, ok, err, inf, nan, plain}", "%inf"),
    ("enum{true, false, none, some, ok, err, inf, nan, plain}", "plain"),
    ("option<u8>", "none"),
    ("option<u8>", "some(0)"),
    ("option<option<u8>>", "some(none)"),
    ("option<option<u8>>", "some(some(1))"),
    ("result", "ok"),
    ("result", "err"),
    ("result<u8>", "ok(1)"),
    ("result<u8>", "err"),
    ("result<_, string>", "ok"),
    ("result<_, string>", "err(\"bad\")"),
    ("result<u8, string>", "err(\"bad\")"),
    ("flags{a, b, c}", "{}"),
    ("flags{a, b, c}", "{a}"),
    ("flags{a, b, c}", "{a, b, c}"),
    ("flags{true, none, nan}", "{true, nan}"),
    ("list<option<result<u8, string>>>", "[none, some(ok(1)), some(err(\"e\"))]"),
];

const FIXED_ACCEPT: &[(&str, &str)] = &[
    ("u8", " 1 "),
    ("u8", "\t\r\n1\n"),
    ("u8", "// leading comment\n1 // trailing comment"),
    ("s8", "-0"),
    ("f32", "1.0"),
    ("f32", "1e0"),
    ("f32", "1E+2"),
    ("f32", "-0.0"),
    ("f32", "1e400"),
    ("f32", "-1e400"),
    ("f32", "1e-400"),
    ("f32", "16777217"),
    ("f32", "0.1000000000000000055511151231257827"),
    ("f32", "3.4028236e38"),
    ("f64", "5e-324"),
    ("f64", "2e-324"),
    ("f64", "1e23"),
    ("f64", "0.30000000000000004441"),
    ("char", "'\\u{41}'"),
    ("char", "'\\u{000041}'"),
    ("char", "'\\u{1F600}'"),
    ("char", "'\"'"),
    ("char", "'\t'"),
    ("char", "'\u{301}'"),
    ("string", "\"\\u{48}\\u{49}\""),
    ("string", "\"'\""),
    ("string", "\"tab\there\""),
    ("string", "\"\"\"\nhello\n\"\"\""),
    ("string", "\"\"\"\n  indented\n    more\n  \"\"\""),
    ("string", "\"\"\"\n\"\"\""),
    ("string", "\"\"\"\n  a \"quoted\" word\n  \"\"\""),
    ("string", "\"\"\"\r\n  crlf\r\n  \"\"\""),
    ("string", "\"\"\"\n  ends with newline\n  \n  \"\"\""),
    ("list<u8>", "[1, 2, 3,]"),
    ("list<u8>", "[ 1 ,2\n,3 ]"),
    ("list<u8>", "[ ]"),
    ("tuple<u8, bool>", "(1, true,)"),
    ("record{a: u8, b: option<u8>}", "{b: 2, a: 1}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, b: none}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, b: 2}"),
    ("record{a: u8, b: option<u8>}", "{%a: 1, %b: some(2),}"),
    ("record{a: u8, b: option<u8>}", "{a: 1 b: 2}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, zzz: \"unknown fields are ignored\"}"),
    ("record{a: option<u8>}", "{ : }"),
    ("record{a: option<u8>}", "{a: none}"),
    ("variant{a(u8), b}", "%a(1)"),
    ("variant{a(u8), b}", "a (1)"),
    ("variant{a(u8), b}", "%b"),
    ("enum{a, b}", "%a"),
    ("option<u8>", "1"),
    ("option<u8>", "some (1)"),
    ("option<bool>", "true"),
    ("option<string>", "\"x\""),
    ("option<option<u8>>", "some(1)"),
    ("option<enum{none, x}>", "%none"),
    ("result<u8, string>", "1"),
    ("result<u8, string>", "ok (1)"),
    ("flags{a, b, c}", "{c, a}"),
    ("flags{a, b, c}", "{a,}"),
    ("flags{a, b, c}", "{ }"),
    ("flags{a, b, c}", "{a b}"),
];

const FIXED_REJECT: &[(&str, &str)] = &[
    ("u8", "256"),
    ("u8", "-1"),
    ("u8", "-0"),
    ("u8", "+1"),
    ("u8", "01"),
    ("u8", "0x1"),
    ("u8", "1.0"),
    ("u8", "1e2"),
    ("u8", "1 2"),
    ("u8", "1,"),
    ("u8", ""),
    ("u8", "// only a comment"),
    ("u8", "/* c */ 1"),
    ("s8", "-129"),
    ("u64", "18446744073709551616"),
    ("s64", "9223372036854775808"),
    ("f32", "1."),
    ("f32", ".5"),
    ("f32", "1e"),
    ("f32", "NaN"),
    ("f32", "-nan"),
    ("f32", "Infinity"),
    ("f32", "+inf"),
    ("bool", "True"),
    ("bool", "1"),
    ("char", "''"),
    ("char", "'ab'"),
    ("char", "'\\u{d800}'"),
    ("char", "'\\u{110000}'"),
    ("char", "'\\u{}'"),
    ("char", "'\\u{0000041}'"),
    ("char", "'\\x41'"),
    ("char", "'''"),
    ("char", "'e\u{301}'"),
    ("string", "\"abc"),
    ("string", "\"a\nb\""),
    ("string", "\"\\q\""),
    ("string", "'abc'"),
    ("string", "\"\"\"abc\"\"\""),
    ("string", "\"\"\"\n  a\n\n  \"\"\""),
    ("string", "\"\"\"\n a\n  \"\"\""),
    ("string", "\"\"\"\n\ta\n\t\"\"\""),
    ("list<u8>", "[,]"),
    ("list<u8>", "[1,,2]"),
    ("list<u8>", "[1 2]"),
    ("list<u8>", "[1, 2"),
    ("tuple<u8, bool>", "()"),
    ("tuple<u8, bool>", "(1)"),
    ("tuple<u8, bool>", "(1, true, 2)"),
    ("record{a: u8, b: option<u8>}", "{b: 2}"),
    ("record{a: u8, b: option<u8>}", "{:}"),
    ("record{a: u8, b: option<u8>}", "{}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, a: 2}"),
    ("record{a: u8, b: option<u8>}", "{a: 1, %a: 2}"),
    ("record{a: u8, b: option<u8>}", "{a: 1,,}"),
    ("record{a: u8, b: option<u8>}", "{a 1}"),
    ("variant{a(u8), b}", "c"),
    ("variant{a(u8), b}", "a"),
    ("variant{a(u8), b}", "a()"),
    ("variant{a(u8), b}", "b(1)"),
    ("variant{true, ok(u8)}", "true"),
    ("variant{true, ok(u8)}", "ok(1)"),
    ("enum{a, none}", "none"),
    ("enum{a, none}", "c"),
    ("enum{a, none}", "a(1)"),
    ("option<u8>", "some()"),
    ("option<u8>", "some"),
    ("option<u8>", "none()"),
    ("option<option<u8>>", "1"),
    ("result<u8, string>", "ok"),
    ("result<u8, string>", "ok()"),
    ("result<_, u8>", "1"),
    ("result<_, u8>", "ok(1)"),
    ("result<u8, _>", "err(1)"),
    ("result<option<u8>, _>", "1"),
    ("flags{a, b}", "{c}"),
    ("flags{a, b}", "{a, a}"),
    ("flags{a, b}", "{%a}"),
    ("flags{a, b}", "{:}"),
    ("flags{a, b}", "{,}"),
];

fn nested_list_type(depth: usize) -> Ty {
    let mut t = Ty::U8;
    for _ in 0..depth {
        t = Ty::List(Box::new(t));
    }
    t
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: {} OUTPUT.jsonl", args[0]);
        std::process::exit(2);
    }
    let path = std::path::PathBuf::from(&args[1]);

    let mut out = Out::default();
    let mut rng = Rng(0x5441_4952_4954_5355); // "TAIRITSU"

    // --- hand-written lines
    for (t, s) in FIXED_PRINT {
        let ty = TyParser::parse(t);
        assert!(out.print(&ty, s), "duplicate fixed print line {s:?}");
    }
    for (t, s) in FIXED_ACCEPT {
        let ty = TyParser::parse(t);
        match out.accept(&ty, s) {
            Ok(true) => {}
            Ok(false) => panic!("fixed accept line {s:?} ({t}) is canonical or duplicate"),
            Err(e) => panic!("fixed accept line {s:?} ({t}) is rejected: {e}"),
        }
    }
    // Nesting limit: the crate allows 100 nested values and rejects 101.
    {
        let ty = nested_list_type(100);
        let text = "[".repeat(100) + &"]".repeat(100);
        let s = format!(" {text}");
        out.accept(&ty, &s).expect("100 nested lists are accepted");
    }
    for (t, s) in FIXED_REJECT {
        let ty = TyParser::parse(t);
        match out.reject(&ty, s) {
            Ok(true) => {}
            Ok(false) => panic!("duplicate fixed reject line {s:?}"),
            Err(c) => panic!("fixed reject line {s:?} ({t}) is accepted as {c:?}"),
        }
    }
    {
        let ty = nested_list_type(101);
        let s = "[".repeat(101) + &"]".repeat(101);
        out.reject(&ty, &s).expect("101 nested lists are rejected");
    }
    let n_fixed = out.lines.len();

    // --- random print lines: top-level kinds in turn
    const N_PRINT: usize = 1500;
    let mut made = 0;
    let mut k = 0;
    while made < N_PRINT {
        let kind = KINDS[k % KINDS.len()];
        k += 1;
        let ty = gen_type(&mut rng, 0, Some(kind));
        let v = gen_val(&mut rng, &ty, 0);
        let text = crate_print(&ty, &v);
        if text.len() > 4000 {
            continue;
        }
        if out.print(&ty, &text) {
            made += 1;
        }
    }

    // --- Unicode sweep: which chars the canonical writer escapes (Rust's
    // char::escape_debug tables). Every scalar value of planes 0-3 and 14 in
    // blocks of 512, plus samples of the other planes.
    let mut sweep_blocks: Vec<u32> = (0..0x40000).step_by(512).collect();
    sweep_blocks.extend((0xE0000..0xE1000).step_by(512));
    for plane in [4u32, 5, 8, 12, 13, 15, 16] {
        sweep_blocks.push(plane << 16);
        sweep_blocks.push((plane << 16) + 0xFE00);
    }
    let mut n_sweep = 0;
    for start in sweep_blocks {
        let s: String = (start..start + 512).filter_map(char::from_u32).collect();
        if s.is_empty() {
            continue;
        }
        if out.print(&Ty::Str, &s_print(&s)) {
            n_sweep += 1;
        }
    }

    // --- accept lines
    const N_ACCEPT: usize = 330;
    let mut made = 0;
    let mut k = 0;
    let mut surprising = 0;
    let mut tries = 0;
    while made < N_ACCEPT {
        tries += 1;
        let kind = KINDS[k % KINDS.len()];
        k += 1;
        let ty = gen_type(&mut rng, 1, Some(kind));
        let v = gen_val(&mut rng, &ty, 1);
        let canon = crate_print(&ty, &v);
        let p_ws = *rng.pick(&[0.0, 0.1, 0.3, 0.6]);
        let p_alt = *rng.pick(&[0.2, 0.4, 0.7]);
        let mut alt = Alt::new(&mut rng, p_ws, p_alt);
        let mut input = String::new();
        if alt.rng.chance(0.2) {
            input.push_str(&alt.ws(" "));
        }
        alt.print(&ty, &v, &mut input);
        if alt.rng.chance(0.2) {
            let tail = alt.ws(" ");
            input.push_str(&tail);
            if alt.rng.chance(0.3) {
                input.push_str("// trailing comment without newline");
            }
        }
        let may_change = alt.value_may_change;
        if input.len() > 4000 {
            continue;
        }
        if input.trim() == canon && rng.chance(0.7) {
            continue; // mere surrounding whitespace: keep only some of these
        }
        match out.accept(&ty, &input) {
            Ok(true) => {
                made += 1;
                let got = crate_parse(&ty, &input).unwrap();
                if got != canon && !may_change {
                    surprising += 1;
                    out.notes.push(format!(
                        "accept changed value: type {} input {:?} canonical {:?} expected {:?}",
                        ty.to_json(),
                        input,
                        got,
                        canon
                    ));
                }
            }
            Ok(false) => {}
            Err(e) => {
                surprising += 1;
                out.notes.push(format!("alt input rejected: type {} input {:?}: {e}", ty.to_json(), input));
            }
        }
        assert!(tries < N_ACCEPT * 50, "cannot make enough accept lines");
    }

    // --- accept lines: decimal-to-binary rounding of floats (exact midpoints
    // between neighbouring floats, a hair above and below them, long digit
    // strings). Correct rounding straight to f32 is required (no double
    // rounding through f64).
    const N_ROUNDING: usize = 70;
    let mut made = 0;
    while made < N_ROUNDING {
        let is32 = made % 2 == 0;
        let which = rng.below(3);
        let input = if is32 {
            let f = gen_f32(&mut rng);
            if !f.is_finite() || f.abs() == f32::MAX {
                continue;
            }
            let bits = f.to_bits();
            let (exp, frac) = ((bits >> 23) & 0xff, (bits & 0x7f_ffff) as u64);
            let (m, e) = if exp == 0 { (frac, -149) } else { (frac | 1 << 23, exp as i32 - 150) };
            midpoint_text(m, e, f.is_sign_negative(), which)
        } else {
            let f = gen_f64(&mut rng);
            if !f.is_finite() || f.abs() == f64::MAX {
                continue;
            }
            let bits = f.to_bits();
            let (exp, frac) = ((bits >> 52) & 0x7ff, bits & 0xf_ffff_ffff_ffff);
            let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | 1 << 52, exp as i32 - 1075) };
            midpoint_text(m, e, f.is_sign_negative(), which)
        };
        let ty = if is32 { Ty::F32 } else { Ty::F64 };
        if input.len() > 1200 {
            continue;
        }
        if let Ok(true) = out.accept(&ty, &input) {
            made += 1;
        }
    }

    // --- reject lines
    const N_REJECT: usize = 400;
    let mut made = 0;
    let mut k = 0;
    let mut tries = 0;
    let mut fault_accepted = 0;
    while made < N_REJECT {
        tries += 1;
        assert!(tries < N_REJECT * 100, "cannot make enough reject lines");
        let kind = KINDS[k % KINDS.len()];
        k += 1;
        let ty = gen_type(&mut rng, 1, Some(kind));
        let v = gen_val(&mut rng, &ty, 2);
        if rng.chance(0.65) {
            // semantic fault at one node
            let n = count_nodes(&ty, &v);
            // Leaves outnumber containers; put half the faults at the top.
            let fault_at = if rng.chance(0.5) { 0 } else { rng.below(n) };
            let p_ws = *rng.pick(&[0.0, 0.0, 0.2]);
            let mut alt = Alt::new(&mut rng, p_ws, 0.1);
            alt.fault_at = fault_at;
            let mut input = String::new();
            alt.print(&ty, &v, &mut input);
            let Some(fault) = alt.fault else { continue };
            if input.len() > 4000 {
                continue;
            }
            match out.reject(&ty, &input) {
                Ok(true) => {
                    made += 1;
                    *out.faults.entry(fault.to_string()).or_default() += 1;
                }
                Ok(false) => {}
                Err(_) => fault_accepted += 1,
            }
        } else {
            // structural mutation of a valid text
            let mut text = crate_print(&ty, &v);
            if rng.chance(0.3) {
                let mut alt = Alt::new(&mut rng, 0.3, 0.3);
                text.clear();
                alt.print(&ty, &v, &mut text);
            }
            let chars: Vec<char> = text.chars().collect();
            if chars.is_empty() || text.len() > 2000 {
                continue;
            }
            let pos = rng.below(chars.len());
            const INS: &[char] = &['{', '}', '[', ']', '(', ')', ',', ':', '\'', '"', '\\', '%', '-', '.', '+', 'x', '0', ' ', '\n', '/', '#', ';'];
            let (what, mutated): (&str, String) = match rng.below(5) {
                0 => ("mut-truncate", chars[..pos].iter().collect()),
                1 => ("mut-delete", chars.iter().enumerate().filter(|(i, _)| *i != pos).map(|(_, c)| *c).collect()),
                2 => {
                    let c = *rng.pick(INS);
                    ("mut-insert", chars[..pos].iter().chain(std::iter::once(&c)).chain(chars[pos..].iter()).collect())
                }
                3 => {
                    let c = *rng.pick(INS);
                    ("mut-replace", chars.iter().enumerate().map(|(i, x)| if i == pos { c } else { *x }).collect())
                }
                _ => ("mut-duplicate", chars[..=pos].iter().chain(chars[pos..].iter()).collect()),
            };
            match out.reject(&ty, &mutated) {
                Ok(true) => {
                    made += 1;
                    *out.faults.entry(what.to_string()).or_default() += 1;
                }
                Ok(false) => {}
                Err(_) => {}
            }
        }
    }

    // --- write atomically
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    {
        let f = std::fs::File::create(&tmp).unwrap_or_else(|e| panic!("create {}: {e}", tmp.display()));
        let mut w = std::io::BufWriter::new(f);
        for l in &out.lines {
            w.write_all(l.as_bytes()).unwrap();
            w.write_all(b"\n").unwrap();
        }
        w.flush().unwrap();
        w.get_ref().sync_all().ok();
    }
    std::fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("rename to {}: {e}", path.display()));

    // --- summary
    let mut per_case: std::collections::BTreeMap<&str, usize> = Default::default();
    for ((c, _), n) in &out.counts {
        *per_case.entry(c.as_str()).or_default() += n;
    }
    eprintln!(
        "wave-vectors: wrote {} lines to {} ({} hand-written, {} unicode-sweep print lines)",
        out.lines.len(),
        path.display(),
        n_fixed,
        n_sweep
    );
    for (c, n) in &per_case {
        eprintln!("  {c}: {n}");
    }
    let mut line = String::new();
    for case in ["print", "accept", "reject"] {
        line.clear();
        for kind in KINDS {
            if let Some(n) = out.counts.get(&(case.to_string(), kind.to_string())) {
                write!(line, " {kind}={n}").unwrap();
            }
        }
        eprintln!("  {case} by top-level kind:{line}");
    }
    let verbose = std::env::var_os("WAVE_VECTORS_VERBOSE").is_some();
    if verbose {
        line.clear();
        for (f, n) in &out.faults {
            write!(line, " {f}={n}").unwrap();
        }
        eprintln!("  reject mutations:{line}");
        eprintln!("  faults the crate accepted (dropped): {fault_accepted}");
    }
    if surprising > 0 || verbose {
        eprintln!("  surprises in accept generation: {surprising}");
        for n in out.notes.iter().take(20) {
            eprintln!("    {n}");
        }
    }
}

/// Decimal text for the midpoint between (m * 2^e) and ((m + 1) * 2^e), which
/// is (2m + 1) * 2^(e - 1): exactly (which == 0), a hair above (1) or below (2).
fn midpoint_text(m: u64, e: i32, negative: bool, which: usize) -> String {
    // little-endian decimal digits
    let mut d: Vec<u8> = (2 * m + 1).to_string().bytes().rev().map(|b| b - b'0').collect();
    let mul = |d: &mut Vec<u8>, k: u32| {
        let mut carry = 0u32;
        for x in d.iter_mut() {
            let v = *x as u32 * k + carry;
            *x = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            d.push((carry % 10) as u8);
            carry /= 10;
        }
    };
    let to_s = |d: &[u8]| -> String {
        let s: String = d.iter().rev().map(|x| (b'0' + x) as char).collect();
        let t = s.trim_start_matches('0');
        if t.is_empty() { "0".to_string() } else { t.to_string() }
    };
    let sign = if negative { "-" } else { "" };
    if e - 1 >= 0 {
        for _ in 0..(e - 1) {
            mul(&mut d, 2);
        }
        match which {
            0 => format!("{sign}{}", to_s(&d)),
            1 => format!("{sign}{}.000001", to_s(&d)),
            _ => {
                // d - 1 (d > 0)
                let mut i = 0;
                while d[i] == 0 {
                    d[i] = 9;
                    i += 1;
                }
                d[i] -= 1;
                format!("{sign}{}.999999", to_s(&d))
            }
        }
    } else {
        let k = 1 - e;
        for _ in 0..k {
            mul(&mut d, 5);
        }
        let s = to_s(&d); // ends in 5
        match which {
            0 => format!("{sign}{s}e-{k}"),
            1 => format!("{sign}{s}000001e-{}", k + 6),
            _ => format!("{sign}{}4999999e-{}", &s[..s.len() - 1], k + 6),
        }
    }
}

/// Canonical print of a string value.
fn s_print(s: &str) -> String {
    crate_print(&Ty::Str, &Val::Str(s.to_string()))
}
