# A file unlinked on one mount stays readable where it is open, and is deleted once closed.
. "$T_FUNCS"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$T_D0/held"
sum=$(md5sum < "$T_D0/held")
exec 3< "$T_D0/held"
rm "$T_D1/held"
t_each stat -c %F held
t_sync_all
free_before=$("$SCOUTFS" df "$T_D0" | awk '$1 == "Data" {print $5}')
if [ "$(md5sum <&3)" = "$sum" ]; then echo "still readable on mount 0"; fi
exec 3<&-
freed=no
for t in $(seq 1 100); do
  t_sync_all > /dev/null
  now=$("$SCOUTFS" df "$T_D0" | awk '$1 == "Data" {print $5}')
  if [ "$now" -ge $((free_before + 2048)) ]; then freed=yes; break; fi
  sleep 0.3
done
echo "freed after the last close: $freed"
echo "== done"
