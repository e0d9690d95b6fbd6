# Renames racing on different mounts never leave two names or none.
. "$T_FUNCS"

echo "== three mounts rename one file to three names at once"
printf 'payload\n' > "$T_D0/a"
for i in $(t_mounts); do ( mv "$(t_d "$i")/a" "$(t_d "$i")/b$i" 2>/dev/null ) & done
wait
ls "$T_D1" | grep -c '^b'
t_each stat -c %F a
cat "$T_D2"/b*

echo "== two mounts move a file back and forth"
printf 'ping\n' > "$T_D0/x"
( for n in $(seq 1 150); do mv "$T_D0/x" "$T_D0/y" 2>/dev/null; done ) &
( for n in $(seq 1 150); do mv "$T_D1/y" "$T_D1/x" 2>/dev/null; done ) &
wait
for i in $(t_mounts); do ls "$(t_d "$i")" | grep -E '^[xy]$' | wc -l; done
cat "$T_D2/x" "$T_D2/y" 2>/dev/null

echo "== mkdir, rename twice and rmdir across every pair of mounts"
for a in $(t_mounts); do
  for b in $(t_mounts); do
    mkdir "$(t_d "$a")/d1"
    mv "$(t_d "$b")/d1" "$(t_d "$b")/d2"
    mv "$(t_d "$a")/d2" "$(t_d "$a")/d3"
    rmdir "$(t_d "$b")/d3" || echo "rmdir failed for mounts $a $b"
  done
done
t_each ls -d d1 d2 d3
echo "== done"
