#!/usr/bin/env bash
# The real-window test: the desktop build (feature `desktop`, WebKitGTK) in a virtual X
# display. It types the PIN into the window, taps "night outing" on the home screen, takes
# screenshots of both screens, and checks through the command line that the window wrote
# the encrypted database: the PIN opens it and it holds one open night outing.
#
# Usage: tests/desktop_window.sh BINARY   (built with `cargo build --features desktop`)
# Needs: xvfb xauth xdotool imagemagick (tests/run.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: tests/desktop_window.sh BINARY}
shots=tests/screenshots
mkdir -p "$shots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/lanterna.db
pin=24681357

fail() { echo "desktop window: $*" >&2; exit 1; }

# Runs inside xvfb-run: start the window, drive it, screenshot it.
cat >"$work/drive.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
bin=$1 db=$2 pin=$3 shots=$4
"$bin" --db "$db" >"$(dirname "$db")/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
wid=""
for _ in $(seq 1 120); do
  wid=$(xdotool search --onlyvisible --name '^Lanterna$' 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && break
  sleep 0.5
done
[ -n "$wid" ] || { echo "no window titled Lanterna" >&2; cat "$(dirname "$db")/app.log" >&2; exit 1; }
sleep 4 # the WebView paints its first frame
eval "$(xdotool getwindowgeometry --shell "$wid")"
shot() { import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$shots/$1.png"; }
shot desktop-01-lock
# First launch: the PIN in the first field (30% down the window), Tab, again, Enter.
xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT * 30 / 100)) click 1
sleep 1
xdotool type --delay 150 "$pin"
sleep 0.5
xdotool key Tab
sleep 0.5
xdotool type --delay 150 "$pin"
sleep 0.5
xdotool key Return
for _ in $(seq 1 40); do
  [ -f "$db" ] && break
  sleep 0.5
done
sleep 3 # key derivation, then the home screen
shot desktop-02-home
# "Night outing" is the right half of the bottom bar.
xdotool mousemove $((X + WIDTH * 3 / 4)) $((Y + HEIGHT - 30)) click 1
sleep 2
shot desktop-03-outing
EOF
chmod +x "$work/drive.sh"

xvfb-run -a -s "-screen 0 1024x900x24" "$work/drive.sh" "$bin" "$db" "$pin" "$shots" ||
  fail "driving the window failed"
[ -f "$db" ] || fail "the PIN typed in the window did not create the database"

# The screenshots are not blank: a rendered screen has many colours.
for s in desktop-01-lock desktop-02-home; do
  colours=$(convert "$shots/$s.png" -format '%k' info:)
  [ "$colours" -gt 8 ] || fail "$s.png has $colours colours: nothing rendered"
done

# The window wrote the encrypted store: the PIN opens it and it holds the night outing.
list=$(LANTERNA_KEY=$pin "$bin" --db "$db" outings list) || fail "the PIN does not open the window's database"
echo "$list" | grep -Eq ' night +street +open ' || fail "no open night outing after the tap on the home screen: $list"
if LANTERNA_KEY=000000 "$bin" --db "$db" outings list >/dev/null 2>&1; then
  fail "a wrong PIN opened the window's database"
fi
echo "desktop window: ok (screenshots in $shots)"
