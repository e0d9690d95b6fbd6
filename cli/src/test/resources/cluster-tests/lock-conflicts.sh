# All mounts change the same files at once: extended attributes and appends; nothing is lost.
. "$T_FUNCS"
: > "$T_D0/shared"
rounds=60
for i in $(t_mounts); do
  ( d=$(t_d "$i")
    for n in $(seq 1 $rounds); do
      setfattr -n "user.m$i" -v "$n" "$d/shared" || echo "setfattr failed on mount $i"
      printf 'mount %s line %03d\n' "$i" "$n" >> "$d/shared"
    done ) &
done
wait
echo "== every mount sees every attribute at its last value"
for i in $(t_mounts); do
  echo "$i: $(getfattr -d --absolute-names "$(t_d "$i")/shared" 2>/dev/null | grep '^user' | sort | tr '\n' ' ')"
done
echo "== no append was lost, and each mount's appends are in order"
for i in $(t_mounts); do
  f="$(t_d "$i")/shared"
  line="$i: $(wc -l < "$f") lines"
  for j in $(t_mounts); do
    if grep "^mount $j " "$f" | sort -c 2>/dev/null; then line="$line, $j in order"; else line="$line, $j out of order"; fi
  done
  echo "$line"
done
echo "== done"
