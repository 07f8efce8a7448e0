#!/usr/bin/env bash
# Builds refine_<version>_amd64.deb with `cpack -G DEB` into a temporary folder and checks it:
# both programs, the default model, the desktop entry (icon, image MIME types, valid) and the
# declared Debian dependencies. Usage: check_deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack -G DEB did not make a package"
  exit 1
fi
deb=$(find "$work" -maxdepth 1 -name '*.deb' | head -n 1)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL: no .deb in $work"; exit 1; }
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# --- contents: `dpkg-deb -c` lists "perms owner size date time ./path"
dpkg-deb -c "$deb" >"$work/contents"
has_file() {  # has_file PATH [x]: the package holds PATH (executable when x is given)
  local line
  line=$(awk -v p="./$1" '$6 == p' "$work/contents")
  if [ -z "$line" ]; then fail "the package lacks /$1"; return; fi
  if [ "${2:-}" = x ] && [[ ! "$line" =~ ^-rwxr-xr-x ]]; then fail "/$1 is not executable: $line"; fi
}
has_file usr/bin/refine x
has_file usr/bin/refine-cli x
has_file usr/share/refine/models/refine-x4/model.json
has_file usr/share/refine/models/refine-x4/model.safetensors
has_file usr/share/refine/models/refine-x4/MODEL_CARD.md
has_file usr/share/applications/refine.desktop
has_file usr/share/icons/hicolor/scalable/apps/refine.svg
has_file usr/share/icons/hicolor/256x256/apps/refine.png
has_file usr/share/icons/hicolor/48x48/apps/refine.png

# --- the files themselves, unpacked
mkdir "$work/root"
dpkg-deb -x "$deb" "$work/root"
models="$work/root/usr/share/refine/models/refine-x4"
cmp -s "$models/model.safetensors" "$source_dir/models/refine-x4/model.safetensors" \
  || fail "the packaged model.safetensors differs from models/refine-x4"
desktop="$work/root/usr/share/applications/refine.desktop"
if [ -f "$desktop" ]; then
  grep -qx 'Exec=refine %F' "$desktop" || fail "the desktop entry does not start 'refine %F'"
  grep -qx 'Icon=refine' "$desktop" || fail "the desktop entry's icon is not 'refine'"
  for mime in image/jpeg image/png image/tiff image/webp image/bmp; do
    grep -q "^MimeType=.*$mime;" "$desktop" || fail "the desktop entry does not open $mime"
  done
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the desktop entry"
  else
    echo "note: desktop-file-validate is not installed (package desktop-file-utils); not validated"
  fi
fi

# --- control fields
[ "$(dpkg-deb -f "$deb" Package)" = refine ] || fail "the package is not called 'refine'"
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "the package is not amd64"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libqt6widgets6 libqt6gui6 libqt6core6 libqt6concurrent6 qt6-qpa-plugins libtorch1.13 \
               libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 libopencv-photo406 \
               libopencv-objdetect406 opencv-data libexiv2-27 libssl3 libc6 libstdc++6; do
  [[ ", $depends," == *", $package"[\ ,]* ]] || fail "Depends does not name $package"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures problem(s) with $(basename "$deb")"
  exit 1
fi
echo "package OK"
