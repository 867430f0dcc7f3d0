#include "http/HttpClient.h"
namespace pactmocks::http {
struct HttpClient::Impl { std::string baseUrl; };
std::optional<Url> Url::parse(const std::string&, std::string* error) { if (error) *error = "not implemented yet"; return std::nullopt; }
std::string Url::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }
HttpClient::HttpClient(std::string baseUrl, Credentials, std::chrono::milliseconds) : impl_(std::make_unique<Impl>(Impl{std::move(baseUrl)})) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
ClientResult HttpClient::get(const std::string& p, const Headers& h) { return request("GET", p, {}, h); }
ClientResult HttpClient::put(const std::string& p, std::string b, const Headers& h) { return request("PUT", p, std::move(b), h); }
ClientResult HttpClient::post(const std::string& p, std::string b, const Headers& h) { return request("POST", p, std::move(b), h); }
ClientResult HttpClient::request(const std::string&, const std::string&, std::string, const Headers&) { return {std::nullopt, "not implemented yet"}; }
void HttpClient::setTimeout(std::chrono::milliseconds) {}
const std::string& HttpClient::baseUrl() const { return impl_->baseUrl; }
}  // namespace pactmocks::http
