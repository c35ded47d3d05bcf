// `ridesweep serve`'s connection handling (sweep_server.h): one epoll event loop owns the sockets and parses
// requests; complete requests go to a handler pool; answers come back through an eventfd.
#include "ridesweep/local/sweep_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ridesweep::local {

bool IsLoopbackAddress(std::string_view address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kListenId = 0;
constexpr uint64_t kWakeId = 1;
// After an error answer the server stops reading requests but keeps discarding what the client still sends for
// this long, so the client is not reset before it reads the answer (a close with unread input sends a RST).
constexpr std::chrono::seconds kDrainTimeout{2};
// How long Stop() waits for the answers of requests being handled to be written.
constexpr std::chrono::seconds kStopGrace{30};
constexpr std::chrono::milliseconds kTick{100};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string Errno(int error) { return std::strerror(error); }

struct Connection {
  enum class Phase : uint8_t { kReading, kHandling, kWriting, kDraining };
  int fd = -1;
  Phase phase = Phase::kReading;
  uint32_t events = 0;  // What epoll watches; 0 = not registered.
  HttpRequestParser parser;
  std::string input;  // Received, not yet parsed (the next pipelined request while one is handled).
  std::string output;
  size_t written = 0;
  bool keep_alive = true;
  bool close_after_write = false;
  bool peer_closed = false;
  bool continue_sent = false;
  Clock::time_point last_activity;
  Clock::time_point request_started;
  Clock::time_point drain_deadline;
};

}  // namespace

class SweepServer::Impl {
 public:
  Impl(ServerOptions options, ServerRoutes routes)
      : options_(std::move(options)),
        routes_(std::move(routes)),
        epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
        wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~Impl() {
    if (listen_fd_ >= 0) close(listen_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }

  Status Bind() {
    if (epoll_fd_ < 0 || wake_fd_ < 0) return UnavailableError("cannot create the event loop: " + Errno(errno));
    if (!options_.allow_remote && !IsLoopbackAddress(options_.bind)) {
      return InvalidArgumentError("refusing to bind " + options_.bind +
                                  ": the local endpoint has no authentication; pass --allow-remote to expose it");
    }
    RaiseFileLimit();
    const std::string where = options_.bind + ":" + std::to_string(options_.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(options_.bind.c_str(), std::to_string(options_.port).c_str(), &hints, &found); rc != 0) {
      return UnavailableError("cannot bind " + where + ": " + gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
    const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return UnavailableError("cannot bind " + where + ": " + Errno(errno));
    // SO_REUSEADDR only rebinds over TIME_WAIT leftovers of an earlier server; on Linux it never lets two
    // listeners share a port (SO_REUSEPORT would, and is deliberately not set).
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, kListenBacklog) != 0) {
      const int error = errno;
      close(fd);
      if (error == EADDRINUSE) {
        return ConflictError("address " + where + " is already in use (is another `ridesweep serve` running?); " +
                             "choose another --port");
      }
      return UnavailableError("cannot bind " + where + ": " + Errno(error));
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    listen_fd_ = fd;
    return Status::Ok();
  }

  int port() const { return port_; }

  void Stop() {
    stopping_.store(true);
    Wake();
  }

  void Serve() {
    Register(listen_fd_, kListenId, EPOLLIN);
    Register(wake_fd_, kWakeId, EPOLLIN);
    std::vector<std::thread> handlers;
    for (size_t i = 0; i < kHandlerThreads; ++i) handlers.emplace_back([this] { HandlerLoop(); });

    std::vector<epoll_event> events(256);
    Clock::time_point stop_deadline{};
    Clock::time_point last_sweep = Clock::now();
    for (;;) {
      if (stopping_.load() && listen_fd_ >= 0) {
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        close(listen_fd_);
        listen_fd_ = -1;
        stop_deadline = Clock::now() + kStopGrace;
        CloseWhere([](const Connection& c) {
          return c.phase == Connection::Phase::kReading || c.phase == Connection::Phase::kDraining;
        });
      }
      if (listen_fd_ < 0 && ((handling_ == 0 && !AnyWriting()) || Clock::now() > stop_deadline)) break;
      const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                               static_cast<int>(kTick.count()));
      now_ = Clock::now();
      for (int i = 0; i < n; ++i) {
        const uint64_t id = events[static_cast<size_t>(i)].data.u64;
        if (id == kListenId) {
          Accept();
        } else if (id == kWakeId) {
          uint64_t count = 0;
          (void)!read(wake_fd_, &count, sizeof count);
        } else {
          OnEvent(id, events[static_cast<size_t>(i)].events);
        }
      }
      CollectAnswers();
      if (accept_paused_ && now_ >= accept_resume_ && listen_fd_ >= 0) {
        accept_paused_ = false;
        Register(listen_fd_, kListenId, EPOLLIN);
      }
      if (now_ - last_sweep >= kTick) {
        last_sweep = now_;
        SweepTimeouts();
      }
    }
    {
      std::lock_guard lock(mu_);
      shutting_down_ = true;
    }
    jobs_cv_.notify_all();
    for (std::thread& t : handlers) t.join();
    CloseWhere([](const Connection&) { return true; });
  }

 private:
  struct Job {
    uint64_t id;
    HttpRequest request;
  };
  struct Answer {
    uint64_t id;
    std::string bytes;
  };

  // Room for kMaxConnections sockets: the soft descriptor limit is often 1024.
  static void RaiseFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t wanted = kMaxConnections + 256;
    if (limit.rlim_cur >= wanted) return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
  }

  void Wake() {
    if (wake_fd_ < 0) return;
    const uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
  }

  void Register(int fd, uint64_t id, uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = id;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) != 0) epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }

  void Watch(uint64_t id, Connection& c, uint32_t events) {
    if (c.events == events) return;
    if (events == 0) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    } else {
      epoll_event event{};
      event.events = events;
      event.data.u64 = id;
      epoll_ctl(epoll_fd_, c.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c.fd, &event);
    }
    c.events = events;
  }

  void Close(uint64_t id) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    if (it->second.events != 0) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->second.fd, nullptr);
    close(it->second.fd);
    connections_.erase(it);
  }

  template <typename Predicate>
  void CloseWhere(Predicate predicate) {
    std::vector<uint64_t> ids;
    for (const auto& [id, c] : connections_) {
      if (predicate(c)) ids.push_back(id);
    }
    for (uint64_t id : ids) Close(id);
  }

  bool AnyWriting() const {
    for (const auto& [id, c] : connections_) {
      if (c.phase == Connection::Phase::kWriting) return true;
    }
    return false;
  }

  // Closes the least recently active connection that is waiting for bytes from its client; false if none.
  bool EvictOne() {
    uint64_t victim = 0;
    Clock::time_point oldest = Clock::time_point::max();
    for (const auto& [id, c] : connections_) {
      const bool waiting = c.phase == Connection::Phase::kReading || c.phase == Connection::Phase::kDraining;
      if (waiting && c.last_activity < oldest) {
        oldest = c.last_activity;
        victim = id;
      }
    }
    if (victim == 0) return false;
    Close(victim);
    return true;
  }

  void Accept() {
    for (;;) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if ((errno == EMFILE || errno == ENFILE) && EvictOne()) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors with nothing to evict: stop accepting for a moment (the backlog holds the rest).
          epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
          accept_paused_ = true;
          accept_resume_ = now_ + kTick;
        }
        return;
      }
      if (connections_.size() >= kMaxConnections && !EvictOne()) {
        close(fd);
        continue;
      }
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const uint64_t id = next_id_++;
      Connection& c = connections_[id];
      c.fd = fd;
      c.last_activity = now_;
      Watch(id, c, EPOLLIN | EPOLLRDHUP);
    }
  }

  void OnEvent(uint64_t id, uint32_t events) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    Connection& c = it->second;
    if (c.phase == Connection::Phase::kWriting) {
      if ((events & EPOLLERR) != 0) return Close(id);
      return Write(id, c);
    }
    if (c.phase == Connection::Phase::kReading || c.phase == Connection::Phase::kDraining) Read(id, c);
  }

  void Read(uint64_t id, Connection& c) {
    char buffer[65536];
    // At most 1 MiB per event, so one fast sender cannot monopolise the loop.
    for (int round = 0; round < 16; ++round) {
      const ssize_t n = recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.last_activity = now_;
        if (c.phase == Connection::Phase::kDraining) continue;
        c.input.append(buffer, static_cast<size_t>(n));
        if (!Parse(id, c)) return;
        if (c.phase != Connection::Phase::kReading) return;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n < 0 || c.phase == Connection::Phase::kDraining) return Close(id);
      // The client closed its side: a partial request is answered as truncated, an idle connection closed.
      c.peer_closed = true;
      c.parser.FinishInput();
      if (c.parser.state() == HttpRequestParser::State::kIdle && c.input.empty()) return Close(id);
      Parse(id, c);
      return;
    }
  }

  // Feeds the buffered input to the parser and acts on what it found. False when the connection was closed.
  bool Parse(uint64_t id, Connection& c) {
    const HttpRequestParser::State before = c.parser.state();
    if (!c.input.empty()) c.input.erase(0, c.parser.Feed(c.input));
    const HttpRequestParser::State state = c.parser.state();
    if (before == HttpRequestParser::State::kIdle && state != HttpRequestParser::State::kIdle) {
      c.request_started = now_;
    }
    if (state == HttpRequestParser::State::kError) {
      Respond(id, c, SerializeAnswer(ParseErrorAnswer(c.parser.error()), false), /*close=*/true);
      return connections_.contains(id);
    }
    if (state == HttpRequestParser::State::kComplete) {
      Dispatch(id, c);
      return true;
    }
    if (c.parser.WantsContinue() && !c.continue_sent) {
      c.continue_sent = true;
      (void)!send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }
    if (c.peer_closed && state == HttpRequestParser::State::kIdle) {
      Close(id);
      return false;
    }
    return true;
  }

  void Dispatch(uint64_t id, Connection& c) {
    HttpRequest request = std::move(c.parser.mutable_request());
    c.parser.Next();
    c.continue_sent = false;
    c.keep_alive = request.keep_alive && !c.peer_closed;
    c.phase = Connection::Phase::kHandling;
    Watch(id, c, 0);  // Nothing to read or write until the handler answers.
    ++handling_;
    {
      std::lock_guard lock(mu_);
      jobs_.push_back(Job{id, std::move(request)});
    }
    jobs_cv_.notify_one();
  }

  void HandlerLoop() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mu_);
        jobs_cv_.wait(lock, [this] { return shutting_down_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      HttpAnswer answer;
      try {
        answer = RouteRequest(job.request, routes_);
      } catch (const std::exception& e) {
        answer = ErrorAnswer(500, std::string("The request handler failed: ") + e.what());
      }
      {
        std::lock_guard lock(mu_);
        answers_.push_back(Answer{job.id, SerializeAnswer(answer, job.request.keep_alive)});
      }
      Wake();
    }
  }

  void CollectAnswers() {
    std::deque<Answer> answers;
    {
      std::lock_guard lock(mu_);
      answers.swap(answers_);
    }
    for (Answer& answer : answers) {
      --handling_;
      auto it = connections_.find(answer.id);
      if (it == connections_.end()) continue;
      Connection& c = it->second;
      const bool close_after = !c.keep_alive || listen_fd_ < 0;
      if (close_after) answer.bytes = RewriteConnectionClose(std::move(answer.bytes));
      Respond(answer.id, c, std::move(answer.bytes), close_after);
    }
  }

  // The handler wrote "Connection: keep-alive" for a keep-alive request; the server is closing after all.
  static std::string RewriteConnectionClose(std::string bytes) {
    constexpr std::string_view kKeep = "\r\nConnection: keep-alive\r\n\r\n";
    const size_t at = bytes.find(kKeep);
    if (at != std::string::npos) bytes.replace(at, kKeep.size(), "\r\nConnection: close\r\n\r\n");
    return bytes;
  }

  void Respond(uint64_t id, Connection& c, std::string bytes, bool close_after) {
    c.output = std::move(bytes);
    c.written = 0;
    c.close_after_write = close_after;
    c.phase = Connection::Phase::kWriting;
    c.last_activity = now_;
    Write(id, c);
  }

  void Write(uint64_t id, Connection& c) {
    while (c.written < c.output.size()) {
      const ssize_t n = send(c.fd, c.output.data() + c.written, c.output.size() - c.written, MSG_NOSIGNAL);
      if (n > 0) {
        c.written += static_cast<size_t>(n);
        c.last_activity = now_;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        Watch(id, c, EPOLLOUT);
        return;
      } else {
        return Close(id);
      }
    }
    c.output.clear();
    c.output.shrink_to_fit();
    if (c.close_after_write) {
      if (c.peer_closed || listen_fd_ < 0) return Close(id);
      shutdown(c.fd, SHUT_WR);
      c.input.clear();
      c.input.shrink_to_fit();
      c.phase = Connection::Phase::kDraining;
      c.drain_deadline = now_ + kDrainTimeout;
      Watch(id, c, EPOLLIN | EPOLLRDHUP);
      return;
    }
    c.phase = Connection::Phase::kReading;
    c.last_activity = now_;
    Watch(id, c, EPOLLIN | EPOLLRDHUP);
    if (!c.input.empty()) Parse(id, c);  // A pipelined request already received.
  }

  void SweepTimeouts() {
    std::vector<uint64_t> to_close;
    std::vector<uint64_t> timed_out;
    for (auto& [id, c] : connections_) {
      switch (c.phase) {
        case Connection::Phase::kReading:
          if (c.parser.state() == HttpRequestParser::State::kIdle && c.input.empty()) {
            if (now_ - c.last_activity > kIdleTimeout) to_close.push_back(id);
          } else if (now_ - c.last_activity > kStallTimeout || now_ - c.request_started > kRequestTimeout) {
            timed_out.push_back(id);
          }
          break;
        case Connection::Phase::kWriting:
          if (now_ - c.last_activity > kWriteTimeout) to_close.push_back(id);
          break;
        case Connection::Phase::kDraining:
          if (now_ > c.drain_deadline) to_close.push_back(id);
          break;
        case Connection::Phase::kHandling:
          break;
      }
    }
    for (uint64_t id : to_close) Close(id);
    for (uint64_t id : timed_out) {
      auto it = connections_.find(id);
      const std::string message = "The request did not arrive in time: no byte for " +
                                  std::to_string(kStallTimeout.count()) + " s, or not complete after " +
                                  std::to_string(kRequestTimeout.count()) + " s";
      Respond(id, it->second, SerializeAnswer(ErrorAnswer(408, message), false), /*close=*/true);
    }
  }

  ServerOptions options_;
  ServerRoutes routes_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = -1;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};

  // Event-loop state (the loop thread only).
  std::unordered_map<uint64_t, Connection> connections_;
  uint64_t next_id_ = 2;
  size_t handling_ = 0;
  Clock::time_point now_ = Clock::now();
  bool accept_paused_ = false;
  Clock::time_point accept_resume_{};

  // Shared with the handler threads.
  std::mutex mu_;
  std::condition_variable jobs_cv_;
  std::deque<Job> jobs_;
  std::deque<Answer> answers_;
  bool shutting_down_ = false;
};

SweepServer::SweepServer(ServerOptions options, ServerRoutes routes)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(routes))) {}
SweepServer::~SweepServer() = default;
Status SweepServer::Bind() { return impl_->Bind(); }
int SweepServer::port() const { return impl_->port(); }
void SweepServer::Serve() { impl_->Serve(); }
void SweepServer::Stop() { impl_->Stop(); }

}  // namespace ridesweep::local
