# Names created, removed, recreated, converted and renamed on different mounts.
. "$T_FUNCS"

echo "== a name that did not exist when it was looked up appears"
t_each stat -c %F later
printf 'x' > "$T_D1/later"
t_each stat -c %F later

echo "== created, removed and recreated as a directory elsewhere"
printf 'x' > "$T_D0/name"
t_each stat -c %F name
rm "$T_D1/name"
t_each stat -c %F name
mkdir "$T_D2/name"
t_each stat -c %F name
rmdir "$T_D0/name"
printf 'y' > "$T_D1/name"
t_each cat name

echo "== a directory renamed over an empty one"
mkdir "$T_D0/a" "$T_D0/b"
printf 'in a\n' > "$T_D1/a/f"
mv -T "$T_D2/a" "$T_D2/b"
t_each ls
t_each cat b/f

echo "== a hard link outlives its first name"
printf 'linked\n' > "$T_D0/orig"
ln "$T_D1/orig" "$T_D1/link"
rm "$T_D2/orig"
t_each cat link
t_each stat -c %h link

echo "== one of three mounts removes a name at once"
printf 'z' > "$T_D0/victim"
removed=$(mktemp)
for i in $(t_mounts); do ( rm "$(t_d "$i")/victim" 2>/dev/null && echo removed ) & done > "$removed"
wait
wc -l < "$removed"
rm "$removed"
t_each stat -c %F victim

echo "== every mount lists the same directory"
for n in $(seq 1 40); do printf '%s' "$n" > "$(t_d $((n % T_NR_MOUNTS)))/entry-$n"; done
for n in $(seq 1 3 40); do rm "$(t_d $(((n + 1) % T_NR_MOUNTS)))/entry-$n"; done
for i in $(t_mounts); do ls "$(t_d "$i")" | md5sum; done
ls "$T_D0" | wc -l
echo "== done"
