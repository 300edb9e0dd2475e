//! Baseline for Tairitsu's comparison benchmarks: the same guest
//! (tests/fixtures/bench_guest) and the same engine configuration as
//! Tairitsu's default engine, driven through the `wasmtime` 48 crate directly.
//!
//! Usage: wasmtime_baseline GUEST.wasm [STREAM_ECHO.wasm]
//! Prints one `name<TAB>value<TAB>unit` line per figure. With the second
//! guest (tests/fixtures/streams/echo.c), also the time to move 64 MiB
//! through it with `wasmtime-wasi`'s memory pipes.

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use wasmtime::component::{Component, Linker, TypedFunc, Val};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig, Store,
};

const WARMUP: u32 = 10_000;
const BATCHES: usize = 20;
const BATCH_TIME: Duration = Duration::from_millis(20);
/// Stores kept alive per timed instantiation batch. The guest makes two core
/// instances (its module and a start shim), and the default pool holds 1,000.
const INSTANTIATE_BATCH: usize = 250;
const DENSITY_INSTANCES: usize = 1_000;

/// Wasmtime 48 has its own error type, and this package does not enable the
/// crate's `anyhow` feature that would make `?` convert it.
trait WasmtimeResult<T> {
    fn ctx(self, what: &'static str) -> anyhow::Result<T>;
}

impl<T> WasmtimeResult<T> for wasmtime::Result<T> {
    fn ctx(self, what: &'static str) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::Error::from_boxed(e.into_boxed_dyn_error()).context(what))
    }
}

/// Tairitsu's default engine: fuel, epochs, optimized code, no CM async;
/// with `pooling`, its pooling engine.
fn engine(pooling: Option<PoolingAllocationConfig>) -> anyhow::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .consume_fuel(true)
        .epoch_interruption(true)
        .parallel_compilation(true)
        .cranelift_opt_level(OptLevel::Speed)
        .concurrency_support(false)
        .wasm_component_model_async(false);
    if let Some(pool) = pooling {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    }
    Engine::new(&config).ctx("creating the engine")
}

/// A store set up as a Tairitsu container sets up its own.
fn new_store(engine: &Engine) -> wasmtime::Result<Store<()>> {
    let mut store = Store::new(engine, ());
    store.set_fuel(u64::MAX / 2)?;
    store.set_epoch_deadline(u64::MAX / 2);
    Ok(store)
}

fn linker(engine: &Engine) -> anyhow::Result<Linker<()>> {
    let mut linker = Linker::new(engine);
    linker
        .instance("tairitsu:bench/host@0.1.0")
        .ctx("defining the host instance")?
        .func_wrap("bounce", |_, (x,): (i32,)| Ok((x.wrapping_add(1),)))
        .ctx("defining bounce")?;
    Ok(linker)
}

/// Median of the samples (sorted in place).
fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Warms `op` up, then times BATCHES batches of about BATCH_TIME each and
/// returns the median batch's nanoseconds per call.
fn ns_per_op(mut op: impl FnMut() -> wasmtime::Result<()>) -> anyhow::Result<f64> {
    for _ in 0..WARMUP {
        op().ctx("warming up")?;
    }
    // Size the batches: count the calls that fit in a quarter of BATCH_TIME.
    let (probe, mut fitted) = (Instant::now(), 0u64);
    while probe.elapsed() < BATCH_TIME / 4 {
        op().ctx("sizing a batch")?;
        fitted += 1;
    }
    let iterations = fitted * 4;
    let mut samples = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..iterations {
            op().ctx("calling the guest")?;
        }
        samples.push(start.elapsed().as_nanos() as f64 / iterations as f64);
    }
    Ok(median(&mut samples))
}

/// Median nanoseconds of `runs` single runs of `op`.
fn median_ns<R>(runs: usize, mut op: impl FnMut() -> anyhow::Result<R>) -> anyhow::Result<f64> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let made = op()?;
        samples.push(start.elapsed().as_nanos() as f64);
        drop(black_box(made)); // Dropping is not timed.
    }
    Ok(median(&mut samples))
}

fn print(name: &str, value: f64, unit: &str) {
    println!("{name}\t{value:.1}\t{unit}");
}

/// A store and an instance of the guest on `engine`.
fn instantiate(
    engine: &Engine,
    linker: &Linker<()>,
    component: &Component,
) -> anyhow::Result<(Store<()>, wasmtime::component::Instance)> {
    let mut store = new_store(engine).ctx("creating a store")?;
    let instance = linker
        .instantiate(&mut store, component)
        .ctx("instantiating the guest")?;
    Ok((store, instance))
}

fn add_typed(engine: &Engine, linker: &Linker<()>, component: &Component) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let add: TypedFunc<(i32, i32), (i32,)> = instance
        .get_typed_func(&mut store, "add")
        .ctx("looking up add")?;
    // No post_return: in Wasmtime 48 it is deprecated and does nothing, as
    // call runs the guest's post-return itself.
    ns_per_op(|| {
        let (sum,) = add.call(&mut store, black_box((20, 22)))?;
        black_box(sum);
        Ok(())
    })
}

fn add_func(engine: &Engine, linker: &Linker<()>, component: &Component) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let add = instance
        .get_func(&mut store, "add")
        .context("the guest exports no add")?;
    let params = [Val::S32(20), Val::S32(22)];
    let mut results = [Val::S32(0)];
    ns_per_op(|| {
        add.call(&mut store, black_box(&params), &mut results)?;
        black_box(&results);
        Ok(())
    })
}

fn mix_func(engine: &Engine, linker: &Linker<()>, component: &Component) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let mix = instance
        .get_func(&mut store, "mix")
        .context("the guest exports no mix")?;
    let params = [Val::U8(7), Val::Bool(true), Val::S64(35)];
    let mut results = [Val::U64(0)];
    ns_per_op(|| {
        mix.call(&mut store, black_box(&params), &mut results)?;
        black_box(&results);
        Ok(())
    })
}

fn echo_1k(engine: &Engine, linker: &Linker<()>, component: &Component) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let echo: TypedFunc<(&str,), (String,)> = instance
        .get_typed_func(&mut store, "echo")
        .ctx("looking up echo")?;
    let text = "x".repeat(1024);
    let (back,) = echo.call(&mut store, (&text,)).ctx("calling echo")?;
    if back != text {
        bail!("echo returned a different string");
    }
    ns_per_op(|| {
        let (back,) = echo.call(&mut store, (black_box(text.as_str()),))?;
        black_box(back);
        Ok(())
    })
}

fn echo_bytes_64k(
    engine: &Engine,
    linker: &Linker<()>,
    component: &Component,
) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let echo: TypedFunc<(&[u8],), (Vec<u8>,)> = instance
        .get_typed_func(&mut store, "echo-bytes")
        .ctx("looking up echo-bytes")?;
    let bytes: Vec<u8> = (0..65_536u32).map(|i| i as u8).collect();
    let (back,) = echo.call(&mut store, (&bytes,)).ctx("calling echo-bytes")?;
    if back != bytes {
        bail!("echo-bytes returned different bytes");
    }
    ns_per_op(|| {
        let (back,) = echo.call(&mut store, (black_box(bytes.as_slice()),))?;
        black_box(back);
        Ok(())
    })
}

fn round_trip(engine: &Engine, linker: &Linker<()>, component: &Component) -> anyhow::Result<f64> {
    let (mut store, instance) = instantiate(engine, linker, component)?;
    let round_trip: TypedFunc<(i32,), (i32,)> = instance
        .get_typed_func(&mut store, "round-trip")
        .ctx("looking up round-trip")?;
    let (out,) = round_trip
        .call(&mut store, (20,))
        .ctx("calling round-trip")?;
    if out != 42 {
        bail!("round-trip(20) returned {out}, not 42");
    }
    ns_per_op(|| {
        let (out,) = round_trip.call(&mut store, black_box((20,)))?;
        black_box(out);
        Ok(())
    })
}

/// Nanoseconds per fresh store + instance on the pooling engine. Each batch
/// keeps its stores alive and drops them after the clock stops, so the figure
/// excludes dropping (and the pool's decommit of the memories).
fn instantiate_ns(
    engine: &Engine,
    mut make: impl FnMut(&mut Store<()>) -> wasmtime::Result<()>,
) -> anyhow::Result<f64> {
    let mut batch = Vec::with_capacity(INSTANTIATE_BATCH);
    let mut run_batch = |batch: &mut Vec<Store<()>>| -> anyhow::Result<f64> {
        let start = Instant::now();
        for _ in 0..INSTANTIATE_BATCH {
            let mut store = new_store(engine).ctx("creating a store")?;
            make(&mut store).ctx("instantiating the guest")?;
            batch.push(store);
        }
        let ns = start.elapsed().as_nanos() as f64 / INSTANTIATE_BATCH as f64;
        batch.clear();
        Ok(ns)
    };
    for _ in 0..4 {
        run_batch(&mut batch)?; // Warm-up.
    }
    let mut samples = (0..BATCHES)
        .map(|_| run_batch(&mut batch))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(median(&mut samples))
}

/// Resident set size of this process, from /proc/self/status.
fn rss_bytes() -> anyhow::Result<u64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS in /proc/self/status")?;
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .context("malformed VmRSS")?
        .parse()?;
    Ok(kib * 1024)
}

/// Resident bytes per idle instance: DENSITY_INSTANCES live stores, each
/// with one instance, on a fresh pooling engine.
fn density(bytes: &[u8]) -> anyhow::Result<f64> {
    // On the default (on-demand) allocator, as Tairitsu's density figure:
    // the default pool's 1,000 core instances hold only 500 of this guest,
    // which makes two core instances per instance.
    let engine = &engine(None)?;
    let component =
        &Component::new(engine, bytes).ctx("compiling the guest for the density engine")?;
    let linker = &linker(engine)?;
    let pre = linker
        .instantiate_pre(component)
        .ctx("pre-instantiating the guest")?;
    drop(instantiate(engine, linker, component)?); // Let one-time setup happen first.
    let mut idle = Vec::with_capacity(DENSITY_INSTANCES);
    let before = rss_bytes()?;
    for i in 0..DENSITY_INSTANCES {
        let mut store = new_store(engine).ctx("creating a store")?;
        let instance = pre.instantiate(&mut store).map_err(|e| {
            anyhow::Error::from_boxed(e.into_boxed_dyn_error())
                .context(format!("instantiating idle instance {i}"))
        })?;
        idle.push((store, instance));
    }
    let after = rss_bytes()?;
    drop(idle);
    Ok((after as f64 - before as f64) / DENSITY_INSTANCES as f64)
}

/// Total calls per second of `add` over `threads` threads, each with its
/// own store and instance, for about a second.
fn threads(
    threads: usize,
    engine: &Engine,
    linker: &Linker<()>,
    component: &Component,
) -> anyhow::Result<f64> {
    let ready = Barrier::new(threads);
    let rates = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<f64> {
                    let (mut store, instance) = instantiate(engine, linker, component)?;
                    let add: TypedFunc<(i32, i32), (i32,)> = instance
                        .get_typed_func(&mut store, "add")
                        .ctx("looking up add")?;
                    for _ in 0..WARMUP {
                        add.call(&mut store, black_box((20, 22)))
                            .ctx("warming up")?;
                    }
                    ready.wait();
                    let (start, mut calls) = (Instant::now(), 0u64);
                    // Look at the clock every 1,024 calls.
                    while start.elapsed() < Duration::from_secs(1) {
                        for _ in 0..1024 {
                            black_box(
                                add.call(&mut store, black_box((20, 22)))
                                    .ctx("calling add")?,
                            );
                        }
                        calls += 1024;
                    }
                    Ok(calls as f64 / start.elapsed().as_secs_f64())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a benchmark thread panicked"))
            .collect::<Vec<_>>()
    });
    rates.into_iter().sum()
}

/// The stream guest's store: WASI's context and resource table.
struct StreamHost {
    table: wasmtime::component::ResourceTable,
    wasi: wasmtime_wasi::WasiCtx,
}

impl wasmtime_wasi::WasiView for StreamHost {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

const STREAM_BYTES: usize = 64 << 20;

/// The byte the stream tests and benchmarks send at position `i`.
fn pattern(i: usize) -> u8 {
    (i.wrapping_mul(131) + (i >> 8) + (i >> 19)) as u8
}

/// Nanoseconds to move 64 MiB through the echo guest's `transform`, from a
/// `MemoryInputPipe` into a `MemoryOutputPipe` (median of 5 runs; the time of
/// the call and of taking the output, not of instantiating or checking).
fn stream_echo(path: &str) -> anyhow::Result<f64> {
    use wasmtime::component::Resource;
    use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
    use wasmtime_wasi_io::streams::{DynInputStream, DynOutputStream};

    let engine = engine(None)?;
    let component = Component::from_file(&engine, path).ctx("compiling the stream guest")?;
    let mut linker = Linker::<StreamHost>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).ctx("linking WASI")?;
    // The guest's `host` interface is not used here (Wasmtime's trap stubs
    // would define the stream types it uses from wasi:io a second time).
    let mut host = linker.instance("host").ctx("defining the host interface")?;
    for name in ["greet", "slurp"] {
        host.func_new(name, |_, _, _, _| Err(wasmtime::format_err!("not used by the benchmark")))
            .ctx("defining a host function")?;
    }
    let data: Vec<u8> = (0..STREAM_BYTES).map(pattern).collect();
    let data = bytes::Bytes::from(data);
    let mut samples = Vec::new();
    for _ in 0..5 {
        let host = StreamHost {
            table: wasmtime::component::ResourceTable::new(),
            wasi: wasmtime_wasi::WasiCtx::builder().build(),
        };
        let mut store = Store::new(&engine, host);
        store.set_fuel(u64::MAX / 2).ctx("fuel")?;
        store.set_epoch_deadline(u64::MAX / 2);
        let instance = linker.instantiate(&mut store, &component).ctx("instantiating")?;
        type Transform = (Resource<DynInputStream>, Resource<DynOutputStream>, u8);
        let transform = instance
            .get_typed_func::<Transform, (Result<u64, String>,)>(&mut store, "transform")
            .ctx("finding transform")?;
        let output = MemoryOutputPipe::new(STREAM_BYTES);
        let start = Instant::now();
        let input: DynInputStream = Box::new(MemoryInputPipe::new(data.clone()));
        let input = store.data_mut().table.push(input).context("pushing the input")?;
        let out: DynOutputStream = Box::new(output.clone());
        let out = store.data_mut().table.push(out).context("pushing the output")?;
        let (copied,) = transform.call(&mut store, (input, out, 0x5a)).ctx("transforming")?;
        let contents = output.contents();
        let elapsed = start.elapsed();
        match copied {
            Ok(n) if n as usize == STREAM_BYTES && contents.len() == STREAM_BYTES => {}
            other => bail!("the stream guest moved {other:?} bytes, {} arrived", contents.len()),
        }
        if contents.iter().enumerate().any(|(i, b)| *b != pattern(i) ^ 0x5a) {
            bail!("the stream guest's output differs from its input");
        }
        samples.push(elapsed.as_nanos() as f64);
    }
    Ok(median(&mut samples))
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .context("usage: wasmtime_baseline GUEST.wasm")?;
    let bytes = std::fs::read(&path).with_context(|| format!("reading {path}"))?;

    let plain = engine(None)?;
    let component = Component::new(&plain, &bytes).ctx("compiling the guest")?;
    let linker_plain = linker(&plain)?;

    type CallFigure = fn(&Engine, &Linker<()>, &Component) -> anyhow::Result<f64>;
    let calls: [(&str, CallFigure); 6] = [
        ("add/rust-typed", add_typed),
        ("add/rust-func", add_func),
        ("mix/rust-func", mix_func),
        ("echo-1k/rust-typed", echo_1k),
        ("echo-bytes-64k/rust-typed", echo_bytes_64k),
        ("round-trip/rust-typed", round_trip),
    ];
    for (name, figure) in calls {
        print(name, figure(&plain, &linker_plain, &component)?, "ns");
    }

    let pooling = engine(Some(PoolingAllocationConfig::default()))?;
    let pooled =
        Component::new(&pooling, &bytes).ctx("compiling the guest for the pooling engine")?;
    let linker_pooling = linker(&pooling)?;
    let pre = linker_pooling
        .instantiate_pre(&pooled)
        .ctx("pre-instantiating the guest")?;
    let ns = instantiate_ns(&pooling, |store| pre.instantiate(store).map(drop))?;
    print("instantiate/rust-instance-pre", ns, "ns");
    let ns = instantiate_ns(&pooling, |store| {
        linker_pooling.instantiate(store, &pooled).map(drop)
    })?;
    print("instantiate/rust-linker", ns, "ns");

    let ns = median_ns(10, || {
        Component::new(&plain, &bytes).ctx("compiling the guest")
    })?;
    print("image/rust-compile", ns, "ns");
    let serialized = component.serialize().ctx("serializing the guest")?;
    // SAFETY: `serialized` came from `Component::serialize` on this same
    // engine in this process, so it is a trusted, compatible artifact.
    let ns = median_ns(20, || {
        unsafe { Component::deserialize(&plain, &serialized) }.ctx("deserializing")
    })?;
    print("image/rust-deserialize", ns, "ns");

    drop(pre);
    print("density/rust", density(&bytes)?, "bytes");
    // The component does not re-export its core module's memory, and
    // Wasmtime's component API cannot reach a core export, so this is the
    // initial size the core module declares (Component::resources_required).
    let pages = pooled
        .resources_required()
        .and_then(|r| r.max_initial_memory_size)
        .context("the guest declares no linear memory")?;
    let linear_memory = (pages * 65_536) as f64;
    print("density/rust-linear-memory", linear_memory, "bytes");

    for n in [1, 2] {
        let rate = threads(n, &plain, &linker_plain, &component)?;
        print(&format!("threads/rust-{n}"), rate, "calls/s");
    }
    if let Some(echo) = std::env::args().nth(2) {
        print("stream-echo-64m/rust-pipes", stream_echo(&echo)?, "ns");
    }
    Ok(())
}
