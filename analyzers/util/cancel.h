#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace plansight {

// Shared between whoever may cancel (the GUI, a Ctrl-C watcher) and a worker. The worker checks
// isCancelled() between steps and registers a callback (typically PgSession::cancel) that interrupts a
// running statement. cancel() may be called from any thread, any number of times.
class CancelToken {
public:
    bool isCancelled() const { return m_cancelled.load(); }
    void cancel()
    {
        m_cancelled.store(true);
        std::lock_guard lock(m_mutex);
        for (auto &[id, fn] : m_callbacks)
            fn();
    }
    // Registers fn to run on cancel (at once if already cancelled); returns an id for remove().
    int add(std::function<void()> fn)
    {
        std::lock_guard lock(m_mutex);
        const int id = ++m_next;
        if (m_cancelled.load())
            fn();
        m_callbacks.emplace(id, std::move(fn));
        return id;
    }
    void remove(int id)
    {
        std::lock_guard lock(m_mutex);
        m_callbacks.erase(id);
    }

private:
    std::atomic<bool> m_cancelled { false };
    std::mutex m_mutex;
    std::map<int, std::function<void()>> m_callbacks;
    int m_next = 0;
};

// RAII registration of a cancel callback for the lifetime of a scope.
class CancelScope {
public:
    CancelScope(CancelToken *token, std::function<void()> fn) : m_token(token)
    {
        if (m_token)
            m_id = m_token->add(std::move(fn));
    }
    ~CancelScope()
    {
        if (m_token)
            m_token->remove(m_id);
    }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;

private:
    CancelToken *m_token;
    int m_id = 0;
};

// Progress reports from core operations: done of total units, with a line of text.
using ProgressFn = std::function<void(qint64 done, qint64 total, const QString &text)>;

} // namespace plansight
