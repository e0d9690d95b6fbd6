# Every mount creates files at once, in directories of its own and in one shared directory.
. "$T_FUNCS"
per=300
for i in $(t_mounts); do mkdir "$(t_d "$i")/own-$i"; done
mkdir "$T_D0/shared"
for i in $(t_mounts); do
  ( d=$(t_d "$i")
    for n in $(seq 1 $per); do : > "$d/own-$i/f$n"; : > "$d/shared/m$i-f$n"; done ) &
done
wait
echo "== every mount counts every directory"
for i in $(t_mounts); do
  d=$(t_d "$i")
  line="$i:"
  for j in $(t_mounts); do line="$line $(ls "$d/own-$j" | wc -l)"; done
  echo "$line shared $(ls "$d/shared" | wc -l) unique $(ls "$d/shared" | sort -u | wc -l)"
done
echo "== removed from one mount, gone on all"
rm -r "$T_D1/shared"
t_each ls shared
echo "== done"
