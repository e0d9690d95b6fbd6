# Sourced by the filesystem benchmark scripts: what the machine was, and idle vCPUs kept polling.

# Writes the machine and its load to stdout and to $1 (machine.txt).
record_machine() {
  {
    echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory: $(free -g | awk '/Mem/ {print $2}') GiB, kernel $(uname -r)"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee "$1"
}

# Idle vCPUs of these VMs halt and every FUSE round trip then pays a wake-up; holding
# /dev/cpu_dma_latency at 0 makes them poll instead (docs/benchmarks.md). Holds it on descriptor 9
# until stop_polling_idle_cpus or the end of the script.
poll_idle_cpus() {
  exec 9>/dev/cpu_dma_latency
  printf '\x00\x00\x00\x00' >&9
}

stop_polling_idle_cpus() {
  exec 9>&- || true
}
