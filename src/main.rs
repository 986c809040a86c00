//! The `aftale` command: see `aftale --help`.

fn main() {
    std::process::exit(aftale::cli::main());
}
