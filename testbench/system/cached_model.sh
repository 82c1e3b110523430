# Sourced by the system test scripts that replay a stimulus through the cached simulator:
#   cached_model CACHE_DIR DESIGN_DIR  -> prints the newest cached escgen_sim_model built from
#   exactly that RTL (a cache may also hold builds by older drivers); fails naming DESIGN_DIR.
cached_model() {
  for d in $(ls -td "$1"/sim/*/); do
    if [ -x "$d/escgen_sim_model" ] && diff -rq "$d/design" "$2" > /dev/null 2>&1; then
      echo "$d/escgen_sim_model"
      return 0
    fi
  done
  echo "no cached simulator for $2" >&2
  return 1
}
