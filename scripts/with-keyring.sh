#!/bin/sh
# Runs "$@" with an unlocked gnome-keyring (Secret Service) inside the current
# D-Bus session, so keytar talks to a real OS keychain under plain Node.
# Call it through `dbus-run-session -- sh scripts/with-keyring.sh CMD...`: the
# session bus and the keyring daemon both end when CMD ends.
# The keyring lives in a throwaway XDG_DATA_HOME so a developer's own login
# keyring is never touched.
set -eu
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/tessera-keyring.XXXXXX")
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="$keyring_home/run"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi
if command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # The daemon reads the unlock password on stdin; an empty store creates the
  # "login" keyring with it and leaves it unlocked.
  printf '%s' tessera-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export TESSERA_TEST_KEYRING=gnome-keyring
else
  echo "with-keyring: gnome-keyring-daemon not found; keychain tests will report it" >&2
fi
status=0
"$@" || status=$?
rm -rf "$keyring_home"
exit $status
