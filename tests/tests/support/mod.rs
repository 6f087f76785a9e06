#![allow(dead_code)] // Each test binary uses a different part of the support code.
pub mod server;
