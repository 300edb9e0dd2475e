// Serves a wasi:http handler (tests/fixtures/http/handler.c): each request
// gets a fresh instance of the image, with the host function that one of its
// routes calls, limits counted per request, and outbound requests allowed to
// one origin only. It then asks itself a few things with libcurl and stops.
//
//     http_server http_handler.wasm

#include <curl/curl.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

// GET http://<address><path>: "<status> <body>".
std::string get(const std::string &address, const std::string &path) {
  CURL *curl = curl_easy_init();
  std::string body;
  std::string url = "http://" + address + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t n, void *out) {
        static_cast<std::string *>(out)->append(data, size * n);
        return size * n;
      });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  while (!body.empty() && body.back() == '\n') body.pop_back();
  return std::to_string(status) + " " + body;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: http_server HANDLER.wasm\n");
    return 64;
  }
  auto image = Image::from_file(argv[1]);
  if (!image) {
    std::fprintf(stderr, "%s\n", image.error().message().c_str());
    return 1;
  }
  ContainerBuilder builder(*image);
  builder.define<std::string(std::string)>("tairitsu:http-fixture/host#greet",
                                           [](std::string name) { return "hello, " + name + ", from the host"; });
  builder.limits({.memory_bytes = 16u << 20, .timeout = std::chrono::seconds(2)});

  HttpServerOptions options;
  options.address = "127.0.0.1:0";  // a free port
  options.allow_http = {"127.0.0.1"};
  auto server = HttpServer::start(builder, options);
  if (!server) {
    std::fprintf(stderr, "%s\n", server.error().message().c_str());
    return 1;
  }
  const std::string &address = server->address();
  std::printf("serving on http://%s\n", address.c_str());
  std::vector<std::string> paths = {"/hello", "/greet?name=ada", "/alloc", "/fetch/" + address + "/hello",
                                    "/fetch/example.com/"};
  for (const std::string &path : paths) {
    std::printf("GET %s -> %s\n", path.c_str(), get(address, path).c_str());
  }
  server->stop();
  HttpCounters c = server->counters();
  std::printf("%llu requests: %llu served, %llu failed\n", static_cast<unsigned long long>(c.requests),
              static_cast<unsigned long long>(c.served), static_cast<unsigned long long>(c.handler_failed));
  return 0;
}
