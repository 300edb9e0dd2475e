#pragma once

// Clients for the HTTP server's tests: libcurl for well-formed requests (one
// handle keeps its connection alive between requests), and a raw socket for
// the malformed ones no client library would send.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace tairitsu::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;   // names in lower case
  std::map<std::string, std::string> trailers;  // fields after the body
  std::string error;                            // curl's, when the exchange failed
  long new_connections = 0;                     // connections opened for this request
};

class HttpClient {
 public:
  explicit HttpClient(std::string address) : base_("http://" + std::move(address)) {
    static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    (void)initialized;
    curl_ = curl_easy_init();
  }
  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;
  ~HttpClient() { curl_easy_cleanup(curl_); }

  HttpResponse get(const std::string &path, const std::vector<std::string> &headers = {}) {
    return request("GET", path, nullptr, headers);
  }
  /// POSTs `body`; with `chunked`, without a length (the body streams in pieces).
  HttpResponse post(const std::string &path, const std::string &body, bool chunked = false,
                    std::vector<std::string> headers = {}) {
    if (chunked) headers.push_back("Transfer-Encoding: chunked");
    return request("POST", path, &body, headers);
  }

 private:
  struct Exchange {
    HttpResponse response;
    const std::string *upload = nullptr;
    std::size_t sent = 0;
    bool body_started = false;
  };

  static std::size_t on_body(char *data, std::size_t size, std::size_t n, void *user) {
    auto *x = static_cast<Exchange *>(user);
    x->body_started = true;
    x->response.body.append(data, size * n);
    return size * n;
  }
  static std::size_t on_header(char *data, std::size_t size, std::size_t n, void *user) {
    auto *x = static_cast<Exchange *>(user);
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      value.erase(value.find_last_not_of("\r\n ") + 1);
      (x->body_started ? x->response.trailers : x->response.headers)[name] = value;
    }
    return size * n;
  }
  static std::size_t on_read(char *buffer, std::size_t size, std::size_t n, void *user) {
    auto *x = static_cast<Exchange *>(user);
    // Small pieces, so that a streamed body arrives in many chunks.
    std::size_t count = std::min({size * n, x->upload->size() - x->sent, std::size_t{16384}});
    std::copy_n(x->upload->data() + x->sent, count, buffer);
    x->sent += count;
    return count;
  }

  HttpResponse request(const char *method, const std::string &path, const std::string *upload,
                       const std::vector<std::string> &headers) {
    Exchange x;
    x.upload = upload;
    curl_easy_reset(curl_);
    std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    bool chunked = std::any_of(headers.begin(), headers.end(),
                               [](const std::string &h) { return h.starts_with("Transfer-Encoding"); });
    if (upload) {
      curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
      curl_easy_setopt(curl_, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(curl_, CURLOPT_READDATA, &x);
      if (!chunked) curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload->size()));
    }
    curl_slist *list = nullptr;
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    for (const std::string &h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) x.response.error = curl_easy_strerror(code);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &x.response.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &x.response.new_connections);
    return std::move(x.response);
  }

  std::string base_;
  CURL *curl_ = nullptr;
};

/// A TCP connection to "127.0.0.1:port", or -1.
inline int connect_to(const std::string &address) {
  auto colon = address.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/// Sends `bytes` (then, with `half_close`, ends the sending side) and reads
/// until the server closes or `wait` passes: what the server answered.
inline std::string raw_exchange(const std::string &address, const std::string &bytes, bool half_close = false,
                                std::chrono::milliseconds wait = std::chrono::seconds(10)) {
  int fd = connect_to(address);
  if (fd < 0) return "<connect failed>";
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close before reading it all
    sent += static_cast<std::size_t>(n);
  }
  if (half_close) shutdown(fd, SHUT_WR);
  std::string answer;
  auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

}  // namespace tairitsu::testing
