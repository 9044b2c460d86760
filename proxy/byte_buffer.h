// A growable byte buffer with a read position, for socket input: bytes are appended at the tail
// (libuv reads straight into tail space) and consumed from the front. Compacts instead of shifting
// on every consume, and gives its memory back when it empties after holding something large.
#pragma once
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace stdnet::proxy {

class ByteBuffer {
 public:
  std::string_view view() const { return {data_.get() + begin_, end_ - begin_}; }
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  std::size_t capacity() const { return capacity_; }

  // Makes room for at least `n` more bytes at the tail and returns where they go.
  char* reserve_tail(std::size_t n) {
    if (capacity_ - end_ >= n) return data_.get() + end_;
    std::size_t used = end_ - begin_;
    if (begin_ > 0 && capacity_ - used >= n && begin_ >= used) {
      std::memmove(data_.get(), data_.get() + begin_, used);
    } else {
      std::size_t want = capacity_ < 4096 ? 4096 : capacity_;
      while (want - used < n) want *= 2;
      auto fresh = std::make_unique_for_overwrite<char[]>(want);
      if (used) std::memcpy(fresh.get(), data_.get() + begin_, used);
      data_ = std::move(fresh);
      capacity_ = want;
    }
    begin_ = 0;
    end_ = used;
    return data_.get() + end_;
  }
  std::size_t tail_room() const { return capacity_ - end_; }
  void commit(std::size_t n) { end_ += n; }
  void append(std::string_view bytes) {
    std::memcpy(reserve_tail(bytes.size()), bytes.data(), bytes.size());
    end_ += bytes.size();
  }
  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      if (capacity_ > kKeepCapacity) release();
    }
  }
  void release() {
    data_.reset();
    capacity_ = begin_ = end_ = 0;
  }

  static constexpr std::size_t kKeepCapacity = 64 * 1024;

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace stdnet::proxy
