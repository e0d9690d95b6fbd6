# A mapping on one mount sees what another mount wrote (and fsynced) to the file.
. "$T_FUNCS"
python3 - "$T_D0/mapped" "$T_D1/mapped" <<'PY'
import mmap, os, sys, time
here, there = sys.argv[1], sys.argv[2]
with open(here, "wb") as f:
    f.write(b"A" * 8192)
with open(here, "rb") as f:
    m = mmap.mmap(f.fileno(), 8192, prot=mmap.PROT_READ)
    print("mapped on mount 0:", m[:4].decode())
    for round, letter in enumerate(b"BCD"):
        fd = os.open(there, os.O_WRONLY)
        os.pwrite(fd, bytes([letter]) * 8192, 0)
        os.fsync(fd)
        os.close(fd)
        deadline = time.time() + 5
        while m[:4] != bytes([letter]) * 4 and time.time() < deadline:
            time.sleep(0.01)
        print("after mount 1 wrote %s:" % chr(letter), m[:4].decode(), m[8188:8192].decode())
    m.close()
PY
t_each head -c 4 mapped
echo "== done"
