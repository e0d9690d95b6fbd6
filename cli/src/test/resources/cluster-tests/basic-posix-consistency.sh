# Operations on one mount are seen by the next operation on every other mount, with no settle time.
. "$T_FUNCS"

echo "== data written on mount 0 reads the same on every mount"
printf 'hello world\n' > "$T_D0/file"
t_each cat file

echo "== appended on mount 1"
printf 'more\n' >> "$T_D1/file"
t_each cat file

echo "== mode, owner and size changed on different mounts"
chmod 640 "$T_D1/file"
chown 1234:5678 "$T_D2/file"
t_each stat -c '%s %a %u %g %h' file
truncate -s 5 "$T_D0/file"
t_each stat -c '%s' file
t_each cat file

echo "== overwritten in the middle on mount 2"
head -c 65536 /dev/zero | tr '\0' 'a' > "$T_D0/big"
printf 'XYZ' | dd of="$T_D2/big" bs=1 seek=40000 conv=notrunc status=none
t_each md5sum big

echo "== extended attributes"
setfattr -n user.color -v blue "$T_D0/file"
t_each getfattr --only-values -n user.color file
setfattr -x user.color "$T_D1/file"
t_each getfattr --only-values -n user.color file

echo "== directories, names and links"
mkdir "$T_D0/dir"
printf 'inside\n' > "$T_D1/dir/one"
t_each ls dir
mv "$T_D2/dir/one" "$T_D2/dir/two"
t_each ls dir
ln "$T_D1/dir/two" "$T_D1/hard"
t_each stat -c '%h' dir/two
ln -s dir/two "$T_D0/soft"
t_each readlink soft
t_each cat soft
rm "$T_D1/dir/two"
t_each stat -c '%h' hard
t_each ls dir
rm "$T_D2/hard"
rmdir "$T_D2/dir"
t_each stat -c %F dir

echo "== times and special files"
touch -d '2001-02-03 04:05:06 UTC' "$T_D0/file"
t_each stat -c %Y file
mkfifo "$T_D1/fifo"
t_each stat -c %F fifo
echo "== done"
