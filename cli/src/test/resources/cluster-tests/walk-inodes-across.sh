# A change committed on one mount appears in the index walks of every other mount.
. "$T_FUNCS"
touch "$T_D0/walked"
ino=$(stat -c %i "$T_D0/walked")
"$SCOUTFS" sync "$T_D0"
for i in $(t_mounts); do
  if "$SCOUTFS" walk-inodes meta_seq 0 -1 "$(t_d "$i")" | awk -v ino="$ino" '$4 == ino {found=1} END {exit !found}'; then
    echo "$i: meta_seq walk shows it"
  else
    echo "$i: meta_seq walk misses it"
  fi
done
printf 'data' > "$T_D2/walked"
"$SCOUTFS" sync "$T_D2"
seq=$("$SCOUTFS" stat -s data_seq "$T_D2/walked")
for i in $(t_mounts); do
  got=$("$SCOUTFS" walk-inodes data_seq 0 -1 "$(t_d "$i")" | awk -v ino="$ino" '$4 == ino {print $2}')
  if [ "$got" = "$seq" ]; then echo "$i: data_seq walk shows it at its data_seq"; else echo "$i: data_seq walk shows '$got', not '$seq'"; fi
done
echo "== done"
