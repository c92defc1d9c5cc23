//! The `leadspec` command line: check definitions, classify leads, explain, count funnels,
//! print glossaries, translate stages, check moves, and replay histories for SLA breaches
//! and waterfalls. Built with the cargo feature `cli`; see `leadspec --help`.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
