// cairo 2D graphics (Debian's libcairo2-dev): image surfaces, paths, toy-API text, PNG.
#include <cairo/cairo.h>
