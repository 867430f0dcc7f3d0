// The module's own copy of Asio (with its SSL parts) and Beast: kept apart from the process's
// copy by hidden visibility, so loading the module shares no Asio state with the host.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
