// A stand-in for a test worker, run with `node --import tsx`: it starts a long `sleep` through
// spawnTestProcess, prints that process's pid, and waits to be killed.
import { spawnTestProcess } from "./test-processes.js";

const child = spawnTestProcess("sleep", ["600"], { stdio: "ignore" });
process.stdout.write(`${child.pid}\n`);
setInterval(() => undefined, 60_000);
