/**
 * Preloaded (`-r exit-with-parent.js`) into every process a benchmark forks: when the IPC channel
 * to the runner closes (the runner exited, crashed or was killed, even by SIGKILL, which leaves
 * it no chance to stop anything), this process ends too instead of running on with nobody to
 * stop it. A server's open sockets and timers would otherwise keep it alive for good.
 */
process.on('disconnect', () => process.exit(0));
