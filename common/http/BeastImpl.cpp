// Asio and Beast are built with *_SEPARATE_COMPILATION: their out-of-line code is compiled here,
// once, instead of in every translation unit that includes them.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
