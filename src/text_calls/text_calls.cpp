// Text calls: a container's exports called with arguments and results written
// as text. They sit above the engine and combine what is below it: the
// export's type from the image, the values layer's reader and printer, and
// one call of the bound export.

#include "tairitsu/container.hpp"
#include "tairitsu/typed.hpp"

namespace tairitsu {

Result<std::string> Container::call_text(std::string_view export_name, std::string_view arguments, TextFormat format,
                                         PrintOptions options) {
  // The name is resolved once: bare names too, with the same errors as `call`.
  auto bound = detail::bind_export(*this, export_name);
  if (!bound) {
    return std::move(bound).error();
  }
  const WorldItem &item = detail::export_item(**bound);
  const FunctionType &type = *item.function;
  TextLimits limits;
  limits.resources = text_handles();
  auto args = parse_arguments(arguments, type.params, format, limits);
  if (!args) {
    return std::move(args).error().with_context("arguments of '" + std::string(export_name) + "' (" + item.signature() +
                                                ")");
  }
  // Read against the parameters' types, the arguments need no second check.
  auto result = detail::call_parsed(**bound, *args);
  if (!result) {
    return std::move(result).error();
  }
  if (!type.result) {
    return std::string();
  }
  options.resources = text_handles();
  return print_value(*result, *type.result, format, options);
}

std::future<Result<std::string>> Container::call_text_async(std::string_view export_name, std::string_view arguments,
                                                            TextFormat format, Executor executor) {
  auto promise = std::make_shared<std::promise<Result<std::string>>>();
  auto future = promise->get_future();
  auto bound = detail::bind_export(*this, export_name);
  if (!bound) {
    promise->set_value(std::move(bound).error());
    return future;
  }
  const WorldItem &item = detail::export_item(**bound);
  TextLimits limits;
  limits.resources = text_handles();
  auto args = parse_arguments(arguments, item.function->params, format, limits);
  if (!args) {
    promise->set_value(std::move(args).error().with_context("arguments of '" + std::string(export_name) + "' (" +
                                                            item.signature() + ")"));
    return future;
  }
  detail::start_call(**bound, std::move(*args), executor,
                     [promise, result = item.function->result, format, handles = text_handles()](Result<Value> r) {
                       if (!r) return promise->set_value(std::move(r).error());
                       if (!result) return promise->set_value(std::string());
                       promise->set_value(print_value(*r, *result, format, {.pretty = false, .resources = handles}));
                     });
  return future;
}

Result<std::string> Container::invoke(std::string_view call_expression, TextFormat format, PrintOptions options) {
  auto call = split_call(call_expression, format);
  if (!call) {
    return std::move(call).error();
  }
  // Spaces in place of the name keep error positions those of the whole expression.
  return call_text(call->function, std::string(call->arguments_at, ' ') + call->arguments, format, options);
}

}  // namespace tairitsu
