#include "redis/reply_reader.h"

#include <hiredis/hiredis.h>

#include <fmt/format.h>
#include <memory>

namespace switchyard::redis {
namespace {

// hiredis's object callbacks. An element of an array is built in place in its parent's vector
// (sized once by CreateArray, so the pointer stays valid); only the root is heap-allocated, and it
// is the only object hiredis ever frees (FreeReply) or hands back from redisReaderGetReply.
void* Place(const redisReadTask* task, Reply value) {
  if (task->parent == nullptr) return new Reply(std::move(value));
  auto* parent = static_cast<Reply*>(task->parent->obj);
  Reply& slot = parent->mutable_elements()[static_cast<std::size_t>(task->idx)];
  slot = std::move(value);
  return &slot;
}

void* CreateString(const redisReadTask* task, char* bytes, size_t length) {
  std::string text(bytes, length);
  switch (task->type) {
    case REDIS_REPLY_STATUS: return Place(task, Reply::FromStatus(std::move(text)));
    case REDIS_REPLY_ERROR: return Place(task, Reply::FromError(std::move(text)));
    default: return Place(task, Reply::FromString(std::move(text)));
  }
}

// Every element takes at least 3 bytes on the wire ("+\r\n"): a count beyond max_reply_bytes / 3
// cannot be a reply within the limit, so it is refused before the vector is allocated.
void* CreateArray(const redisReadTask* task, int elements) {
  auto* owner = static_cast<ReplyReader*>(task->privdata);
  if (elements < 0 || static_cast<std::size_t>(elements) > owner->max_reply_bytes() / 3) {
    owner->array_refused = true;
    return nullptr;
  }
  return Place(task, Reply::FromArray(std::vector<Reply>(static_cast<std::size_t>(elements))));
}

void* CreateInteger(const redisReadTask* task, long long value) {
  return Place(task, Reply::FromInteger(value));
}

void* CreateNil(const redisReadTask* task) { return Place(task, Reply::Nil()); }

void FreeReply(void* reply) { delete static_cast<Reply*>(reply); }

redisReplyObjectFunctions kReplyFunctions = {CreateString, CreateArray, CreateInteger, CreateNil,
                                             FreeReply};

}  // namespace

ReplyReader::ReplyReader(std::size_t max_reply_bytes)
    : reader_(redisReaderCreateWithFunctions(&kReplyFunctions)),
      max_reply_bytes_(max_reply_bytes) {
  if (reader_ != nullptr) reader_->privdata = this;
}

ReplyReader::~ReplyReader() {
  if (reader_ != nullptr) redisReaderFree(reader_);
}

std::size_t ReplyReader::Unparsed() const { return reader_->len - reader_->pos; }

Error ReplyReader::TooLarge(std::size_t bytes) const {
  return Error::Unavailable(
      fmt::format("a reply exceeded the limit of {} bytes (max_reply_bytes; {} so far)",
                  max_reply_bytes_, bytes));
}

Status ReplyReader::Feed(std::string_view bytes) {
  if (reader_ == nullptr) return Error::Unavailable("cannot allocate the reply reader");
  if (redisReaderFeed(reader_, bytes.data(), bytes.size()) != REDIS_OK) {
    return Error::Unavailable("the reply reader is out of memory");
  }
  return Status();
}

// hiredis consumes a reply in steps (an array's elements as they arrive); the bytes it consumed for
// the reply in progress plus what it holds unparsed are the bytes of that reply so far, because
// redisReaderGetReply stops at the first complete reply.
Result<std::optional<Reply>> ReplyReader::Next() {
  if (reader_ == nullptr) return Error::Unavailable("cannot allocate the reply reader");
  const std::size_t before = Unparsed();
  void* raw = nullptr;
  const int rc = redisReaderGetReply(reader_, &raw);
  std::unique_ptr<Reply> reply(static_cast<Reply*>(raw));
  if (rc != REDIS_OK) {
    if (array_refused) return TooLarge(current_reply_bytes_ + before);
    return Error::Unavailable(fmt::format("a malformed reply: {}", redisReaderGetError(reader_)));
  }
  current_reply_bytes_ += before - Unparsed();
  if (reply == nullptr) {
    const std::size_t so_far = current_reply_bytes_ + Unparsed();
    if (so_far > max_reply_bytes_) return TooLarge(so_far);
    return std::optional<Reply>();
  }
  const std::size_t size = current_reply_bytes_;
  current_reply_bytes_ = 0;
  if (size > max_reply_bytes_) return TooLarge(size);
  return std::optional<Reply>(std::move(*reply));
}

}  // namespace switchyard::redis
