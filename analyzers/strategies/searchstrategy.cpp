#include "strategies/searchstrategy.h"

#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QMap>
#include <QThread>

#include <map>
#include <mutex>
#include <set>

namespace plansight {

namespace {

const QString Id = QStringLiteral("p10-search");
constexpr int BulkBatch = 2000;
constexpr int DrainBatch = 1000;
constexpr int CommitEvery = 20000; // documents between commits of the bulk load
constexpr int FacetTags = 5;

// What the executions of one measured run saw: read by its note once the runs are done.
struct RunTally {
    int searched = 0; // pages Xapian answered
    int fallbacks = 0; // pages the baseline answered because Xapian could not
    QString lost; // why Xapian did not answer, the first time
    int changes = 0; // items the indexer brought up to date before the searches
    double maxLagMs = -1; // the longest of those from write to searchable
};

// The process-wide side of the strategy (the catalog's objects are shared): under `mutex`.
struct SearchState {
    std::recursive_mutex mutex;
    SearchConfig config;
    std::unique_ptr<XapianServer> server; // PlanSight's own, when config.serverRoot is set
    std::unique_ptr<SearchIndex> index;
    std::map<QString, std::unique_ptr<PgSession>> indexers; // the outbox's reader, by database (describe())
};

SearchState &state()
{
    static SearchState s;
    return s;
}

// The database's documents in a server that may index several: a hash of where the database is.
QString scopeOf(PgSession &session)
{
    const QByteArray where
        = (session.host() + QLatin1Char(':') + session.port() + QLatin1Char('/') + session.database()).toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(where, QCryptographicHash::Sha1).toHex().left(12));
}

QString loadedKey(const QString &scope)
{
    return QStringLiteral("ps:%1:loaded").arg(scope);
}

// "xapian-tcpsrv at 127.0.0.1:40123" (or the demo's own, not started yet).
QString serverName(const SearchState &s)
{
    if (s.config.endpoint.isValid())
        return QStringLiteral("xapian-tcpsrv at %1").arg(s.config.endpoint.describe());
    if (s.index)
        return QStringLiteral("xapian-tcpsrv at %1").arg(s.index->endpoint().describe());
    return QStringLiteral("the embedded demo's xapian-tcpsrv");
}

// Under the lock: the server to talk to, PlanSight's own started (again) when it does not run.
Result<SearchEndpoint> ensureEndpoint(SearchState &s)
{
    SearchEndpoint ep;
    if (s.config.endpoint.isValid()) {
        ep = s.config.endpoint;
    } else if (!s.config.serverRoot.isEmpty()) {
        if (!s.server)
            s.server = std::make_unique<XapianServer>(s.config.serverRoot);
        if (!s.server->isRunning()) {
            if (s.index)
                s.index->reset();
            if (auto st = s.server->start(); !st)
                return st.error();
        }
        ep = s.server->endpoint();
    } else {
        return Error::make(errc::Missing, QStringLiteral("No search server is configured for p10-search."), QString(),
            QStringLiteral("Give one with --search HOST:PORT (a xapian-tcpsrv --writable), or use the embedded demo, "
                           "where PlanSight runs its own."));
    }
    if (!s.index || s.index->endpoint().describe() != ep.describe())
        s.index = std::make_unique<SearchIndex>(ep);
    return ep;
}

// Under the lock: the connection that reads the outbox of `session`'s database.
Result<PgSession *> indexerFor(SearchState &s, PgSession &session)
{
    auto &conn = s.indexers[session.describe()];
    if (conn && !conn->isAlive())
        conn.reset();
    if (!conn) {
        auto c = PgSession::connect(session.sameTargetConninfo());
        if (!c)
            return c.error();
        conn = std::move(*c);
    }
    return conn.get();
}

QString itemsSql(const QString &name, const QString &source)
{
    QString text = sql(QStringLiteral("strategies/p10-search/") + name);
    text.replace(QLatin1String("PS_TABLE"),
        source == QLatin1String("regular") ? QStringLiteral("content_items") : QStringLiteral("content_items_auto"));
    text.replace(QLatin1String("PS_SOURCE"), QLatin1Char('\'') + source + QLatin1Char('\''));
    return text;
}

QList<SearchItem> itemsOf(
    const PgResult &r, const QString &source, qint64 changeSeq, const std::map<qint64, qint64> *seqs = nullptr)
{
    QList<SearchItem> items;
    items.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
        SearchItem it;
        it.source = source;
        it.id = r.toLongLong(i, 0);
        it.creatorId = r.value(i, 1);
        if (!r.isNull(i, 2))
            it.createdUs = r.toLongLong(i, 2);
        if (!r.isNull(i, 3))
            it.quality = r.toDouble(i, 3);
        QString tags = r.value(i, 4); // {a,b,c}: uuids need no quoting
        tags.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
        it.tagIds = tags.split(QLatin1Char(','), Qt::SkipEmptyParts);
        it.changeSeq = changeSeq;
        if (seqs) {
            const auto found = seqs->find(it.id);
            if (found != seqs->end())
                it.changeSeq = found->second;
        }
        items << it;
    }
    return items;
}

// Under the lock: every item of `session`'s database into the index (what was there for it first goes), with
// progress and cancel. Returns the documents loaded; their number and the time go into the index's metadata.
Result<qint64> bulkLoad(SearchState &s, PgSession &session, CancelToken *cancel, const ProgressFn &progress)
{
    const QString scope = scopeOf(session);
    QElapsedTimer timer;
    timer.start();
    auto total = session.exec(sql(QStringLiteral("strategies/p10-search/item_count")));
    if (!total)
        return total.error();
    const qint64 expected = total->toLongLong(0, 0);
    if (auto st = s.index->removeScope(scope); !st)
        return st.error();
    qint64 done = 0, sinceCommit = 0;
    if (progress)
        progress(0, expected, QStringLiteral("Loading the search index (%1 items)").arg(expected));
    for (const QString &source : { QStringLiteral("regular"), QStringLiteral("auto") }) {
        const QString text = itemsSql(QStringLiteral("items_batch"), source);
        qint64 after = 0;
        while (true) {
            if (cancel && cancel->isCancelled())
                return Error::make(errc::Cancelled, QStringLiteral("Cancelled while loading the search index."));
            auto r = session.exec(text, { after, BulkBatch });
            if (!r)
                return r.error();
            if (r->rows() == 0)
                break;
            const QList<SearchItem> items = itemsOf(*r, source, 0);
            if (auto st = s.index->put(scope, items); !st)
                return st.error();
            after = items.last().id;
            done += items.size();
            sinceCommit += items.size();
            if (sinceCommit >= CommitEvery) {
                if (auto st = s.index->commit(); !st)
                    return st.error();
                sinceCommit = 0;
            }
            if (progress) {
                const double secs = double(timer.elapsed()) / 1000.0;
                progress(done, qMax(expected, done),
                    QStringLiteral("Loading the search index: %1 of %2 items (%3 items/s)")
                        .arg(done)
                        .arg(expected)
                        .arg(secs > 0 ? double(done) / secs : 0.0, 0, 'f', 0));
            }
        }
    }
    const qint64 ms = timer.elapsed();
    if (auto st = s.index->setMetadata(loadedKey(scope), QStringLiteral("%1 %2").arg(done).arg(ms)); !st)
        return st.error();
    if (auto st = s.index->commit(); !st)
        return st.error();
    return done;
}

// Under the lock: the outbox's committed changes into the index. An error from Xapian has code errc::Connection
// when the server was lost.
Status drain(SearchState &s, PgSession &session, const std::shared_ptr<RunTally> &tally)
{
    auto indexer = indexerFor(s, session);
    if (!indexer)
        return indexer.error();
    PgSession &db = **indexer;
    const QString scope = scopeOf(session);
    while (true) {
        auto r = db.exec(sql(QStringLiteral("strategies/p10-search/outbox_read")), { DrainBatch });
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return {};
        QElapsedTimer sinceRead;
        sinceRead.start();
        QStringList seqs;
        std::map<QString, std::map<qint64, qint64>> changed; // source -> id -> newest seq
        bool everything = false;
        double oldestAgeMs = 0;
        for (int i = 0; i < r->rows(); ++i) {
            seqs << r->value(i, 0);
            const QString source = r->value(i, 1);
            if (source == QLatin1String("*"))
                everything = true;
            else if (source == QLatin1String("regular") || source == QLatin1String("auto"))
                changed[source][r->toLongLong(i, 2)] = r->toLongLong(i, 0);
            oldestAgeMs = std::max(oldestAgeMs, r->toDouble(i, 3));
        }
        int count = 0;
        if (everything) {
            auto loaded = bulkLoad(s, db, nullptr, {});
            if (!loaded)
                return loaded.error();
            count = int(*loaded);
        } else {
            for (const auto &[source, ids] : changed) {
                QStringList idList;
                for (const auto &[id, seq] : ids)
                    idList << QString::number(id);
                auto items = db.exec(itemsSql(QStringLiteral("items_by_id"), source), { QVariant(idList) });
                if (!items)
                    return items.error();
                const QList<SearchItem> found = itemsOf(*items, source, 0, &ids);
                if (auto st = s.index->put(scope, found); !st)
                    return st;
                std::set<qint64> present;
                for (const SearchItem &it : found)
                    present.insert(it.id);
                for (const auto &[id, seq] : ids) {
                    if (!present.count(id)) {
                        if (auto st = s.index->remove(scope, source, id); !st)
                            return st;
                    }
                }
                count += int(ids.size());
            }
        }
        if (auto st = s.index->commit(); !st)
            return st;
        // Searchable now: the oldest change waited its age at the read plus the indexing.
        const double lagMs = oldestAgeMs + double(sinceRead.nsecsElapsed()) / 1e6;
        if (auto done = db.exec(sql(QStringLiteral("strategies/p10-search/outbox_done")), { QVariant(seqs) }); !done)
            return done.error();
        if (tally) {
            tally->changes += count;
            tally->maxLagMs = std::max(tally->maxLagMs, lagMs);
        }
    }
}

// The page's rows from PostgreSQL, by (source, id) in the index's order: the keys of the rows that are there.
Result<QStringList> fetchRows(PgSession &session, const QStringList &keys)
{
    if (keys.isEmpty())
        return QStringList();
    QStringList sources, ids;
    for (const QString &k : keys) {
        const qsizetype colon = k.indexOf(QLatin1Char(':'));
        sources << k.left(colon);
        ids << k.mid(colon + 1);
    }
    static const QString text = [] {
        QString t = sql(QStringLiteral("strategies/p10-search/page_rows"));
        t.replace(QLatin1String("PS_COLUMNS_REGULAR"),
            GalleryQueryBuilder::columns(QStringLiteral("ci"), QStringLiteral("u"), QStringLiteral("'regular'")));
        t.replace(QLatin1String("PS_COLUMNS_AUTO"),
            GalleryQueryBuilder::columns(QStringLiteral("ci"), QStringLiteral("u"), QStringLiteral("'auto'")));
        return t;
    }();
    auto r = session.exec(text, { QVariant(sources), QVariant(ids) });
    if (!r)
        return r.error();
    const int src = r->column("source"), id = r->column("id");
    QStringList out;
    out.reserve(r->rows());
    for (int i = 0; i < r->rows(); ++i)
        out << r->value(i, src) + QLatin1Char(':') + r->value(i, id);
    return out;
}

Result<QStringList> baselinePage(PgSession &session, const StrategyQuery &baseline)
{
    auto r = session.exec(baseline.sql, baseline.params);
    if (!r)
        return r.error();
    const int src = r->column("source"), id = r->column("id");
    QStringList keys;
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, src) + QLatin1Char(':') + r->value(i, id);
    return keys;
}

// The search index's own errors (search/searchindex.h), as opposed to PostgreSQL's: they make the baseline answer.
bool isSearchServerError(const Error &e)
{
    return e.message.startsWith(QLatin1String("The search server"));
}

QString why(const Error &e)
{
    return e.message + (e.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.detail));
}

// One timed execution: the outbox drained, the page from Xapian, its rows from PostgreSQL; the baseline when Xapian
// cannot answer.
Result<QStringList> searchPage(PgSession &session, const SearchRequest &request, const StrategyQuery &baseline,
    const std::shared_ptr<RunTally> &tally)
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    auto fallback = [&](const Error &e) -> Result<QStringList> {
        ++tally->fallbacks;
        if (tally->lost.isEmpty())
            tally->lost = QStringLiteral("%1: %2").arg(serverName(s), why(e));
        return baselinePage(session, baseline);
    };
    if (!s.index)
        return fallback(Error::make(errc::Missing, QStringLiteral("no search server is configured")));
    if (auto st = drain(s, session, tally); !st) {
        if (isSearchServerError(st.error()))
            return fallback(st.error());
        return st.error();
    }
    auto keys = s.index->page(request);
    if (!keys)
        return fallback(keys.error());
    ++tally->searched;
    return fetchRows(session, *keys);
}

QString afterRunsNote(const std::shared_ptr<RunTally> &tally)
{
    QStringList parts;
    if (tally->searched)
        parts << QStringLiteral("Xapian answered %1 executions").arg(tally->searched);
    if (tally->changes)
        parts << QStringLiteral("%1 changed items indexed from the outbox before the searches, the longest %2 ms "
                                "from write to searchable")
                     .arg(tally->changes)
                     .arg(tally->maxLagMs, 0, 'f', 1);
    if (tally->fallbacks)
        parts << QStringLiteral("the search server did not answer %1 executions, so PostgreSQL (the baseline query) "
                                "did: %2")
                     .arg(tally->fallbacks)
                     .arg(tally->lost);
    return parts.join(QStringLiteral("; "));
}

QString mib(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

// Under the lock: what the index says of the database: documents, the bulk load, the size on disk when known.
QString indexNote(SearchState &s, const QString &scope)
{
    QStringList parts;
    if (auto n = s.index->count(scope); n)
        parts << QStringLiteral("%1 documents").arg(*n);
    if (auto meta = s.index->metadata(loadedKey(scope)); meta && !meta->isEmpty()) {
        const QStringList f = meta->split(QLatin1Char(' '));
        const qint64 docs = f.value(0).toLongLong();
        const double secs = f.value(1).toDouble() / 1000.0;
        parts << QStringLiteral("bulk load of %1 items in %2 s (%3 items/s)")
                     .arg(docs)
                     .arg(secs, 0, 'f', 1)
                     .arg(secs > 0 ? double(docs) / secs : 0.0, 0, 'f', 0);
    }
    if (!s.config.endpoint.isValid() && s.server)
        parts << QStringLiteral("%1 on disk").arg(mib(s.server->indexBytes()));
    else
        parts << QStringLiteral("size on disk not known (the server is not PlanSight's)");
    return QStringLiteral("index: ") + parts.join(QStringLiteral(", "));
}

Result<SearchFacets> facetsLocked(SearchState &s, PgSession &session, const Workload &workload, int topTags)
{
    SearchRequest r;
    r.scope = scopeOf(session);
    r.workload = workload;
    return s.index->facets(r, topTags);
}

// "facets: 1234 matches (auto 1100, regular 134); most used tags: anime 870, ..." with the tags' names.
QString facetNote(PgSession &session, const SearchFacets &f)
{
    QStringList sources;
    for (const auto &[name, n] : f.sources)
        sources << QStringLiteral("%1 %2").arg(name).arg(n);
    QStringList ids;
    for (const auto &t : f.tags)
        ids << t.first;
    QMap<QString, QString> names;
    if (!ids.isEmpty()) {
        if (auto r = session.exec(sql(QStringLiteral("strategies/p10-search/tag_names")), { QVariant(ids) }); r) {
            for (int i = 0; i < r->rows(); ++i)
                names.insert(r->value(i, 0), r->value(i, 1));
        }
    }
    QStringList tags;
    for (const auto &[id, n] : f.tags)
        tags << QStringLiteral("%1 %2").arg(names.value(id, id)).arg(n);
    return QStringLiteral("facets from the index: %1 matches (%2); most used tags: %3")
        .arg(f.matches)
        .arg(sources.join(QStringLiteral(", ")), tags.join(QStringLiteral(", ")));
}

Result<double> lagProbe(SearchState &s, PgSession &session)
{
    auto item = session.exec(sql(QStringLiteral("strategies/p10-search/probe_item")));
    if (!item)
        return item.error();
    if (item->rows() == 0)
        return Error::make(errc::Input, QStringLiteral("The database has no item to probe the sync lag with."));
    const QString source = item->value(0, 0);
    const qint64 id = item->toLongLong(0, 1);
    auto indexer = indexerFor(s, session);
    if (!indexer)
        return indexer.error();
    QElapsedTimer t;
    auto seq = (*indexer)->exec(sql(QStringLiteral("strategies/p10-search/outbox_probe")), { source, id });
    if (!seq)
        return seq.error();
    t.start(); // committed: the write is done
    const qint64 wanted = seq->toLongLong(0, 0);
    const QString scope = scopeOf(session);
    QDeadlineTimer deadline(10000);
    while (true) {
        if (auto st = drain(s, session, nullptr); !st)
            return st.error();
        auto got = s.index->changeSeq(scope, source, id);
        if (!got)
            return got.error();
        if (*got >= wanted)
            return double(t.nsecsElapsed()) / 1e6;
        if (deadline.hasExpired())
            return Error::make(
                errc::Internal, QStringLiteral("The sync lag probe's change did not become searchable within 10 s."));
        QThread::msleep(5);
    }
}

} // namespace

void setSearchConfig(const SearchConfig &config)
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    if (s.server
        && (config.serverRoot.isEmpty()
            || s.server->rootDir() != QDir::cleanPath(QDir(config.serverRoot).absolutePath())))
        s.server.reset(); // stops the server it started
    s.config = config;
    s.index.reset();
    s.indexers.clear();
}

SearchConfig searchConfig()
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    return s.config;
}

void stopSearchServer()
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    s.index.reset();
    s.server.reset();
}

Result<int> syncSearchIndex(PgSession &session)
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    if (auto ep = ensureEndpoint(s); !ep)
        return ep.error();
    auto tally = std::make_shared<RunTally>();
    if (auto st = drain(s, session, tally); !st)
        return st.error();
    return tally->changes;
}

Result<double> measureSearchSyncLag(PgSession &session)
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    if (auto ep = ensureEndpoint(s); !ep)
        return ep.error();
    return lagProbe(s, session);
}

Result<SearchFacets> searchFacets(PgSession &session, const Workload &workload, int topTags)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    if (auto ep = ensureEndpoint(s); !ep)
        return ep.error();
    return facetsLocked(s, session, workload, topTags);
}

StrategyInfo SearchStrategy::info() const
{
    StrategyInfo i;
    i.id = Id;
    i.title = QStringLiteral("Search engine (Xapian)");
    i.proposal = QStringLiteral("P10");
    i.requirements = { QStringLiteral("xapian-tcpsrv") };
    i.mayBeStale = true;
    i.description = QStringLiteral(
        "The review's search engine, with Xapian in Elasticsearch's place: one document per item (tags, source and "
        "creator as terms; created_at, id and quality as sort values) in a xapian-tcpsrv server, fed from an outbox "
        "that triggers fill on every write. Xapian finds the page's ids; PostgreSQL returns their rows.");
    i.operations = QStringLiteral(
        "A search server to run, size and back up, and the sync pipeline kept running: triggers fill an outbox that an "
        "indexer drains into the index; its lag and a fallback to PostgreSQL need monitoring.");
    return i;
}

QList<SchemaObject> SearchStrategy::objects() const
{
    using K = SchemaObject::Kind;
    QList<SchemaObject> out {
        // Changes waiting to be indexed: small, not a copy of the junction (strategies/diskspace.h).
        { K::Table, QStringLiteral("ps_p10_search_outbox"), QString(), false },
        { K::Table, QStringLiteral("ps_p10_search_outbox_seq_seq"), QString(), false },
        { K::Index, QStringLiteral("ps_p10_search_outbox_seq_idx"), QStringLiteral("ps_p10_search_outbox") },
        { K::Function, QStringLiteral("ps_p10_search_capture"), QString() },
    };
    for (const QString &table :
        { QStringLiteral("content_items"), QStringLiteral("content_items_auto"), QStringLiteral("content_tags") }) {
        for (const char *event : { "ins", "del", "upd", "trunc" })
            out << SchemaObject { K::Trigger, QStringLiteral("ps_p10_search_") + QLatin1String(event), table };
    }
    return out;
}

QList<SchemaStrategy::Step> SearchStrategy::applySteps() const
{
    return {
        { QStringLiteral("outbox"), QStringLiteral("Creating the outbox the search index is fed from") },
        { QStringLiteral("function"), QStringLiteral("Creating the change capture function") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the capture triggers on the content tables") },
    };
}

Status SearchStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    // Without a search server nothing is created: the index is what the strategy is.
    if (auto ep = ensureEndpoint(s); !ep)
        return ep.error();
    // Whether the outbox and triggers were all there before: when they were not, whatever the index holds for this
    // database predates them (a database built again, a revert that could not reach the server) and is loaded again.
    auto before = SchemaStrategy::status(session);
    if (!before)
        return before.error();
    const bool wasApplied = before->state == StrategyState::Applied;
    // The triggers first: a write during the bulk load is in the outbox, and indexed again afterwards.
    if (auto st = SchemaStrategy::apply(session, cancel, progress, context); !st)
        return st;
    // A broken strategy was reverted first, which may have stopped PlanSight's own server: start it again.
    if (auto ep = ensureEndpoint(s); !ep) {
        Error e = ep.error();
        if (auto undone = revertAfterCancel(*this, session, cancel, context); !undone)
            e.message = e.message + QLatin1Char(' ') + undone.error().message;
        return e;
    }
    const QString scope = scopeOf(session);
    auto loaded = s.index->metadata(loadedKey(scope));
    if (!loaded)
        return loaded.error();
    if (wasApplied && !loaded->isEmpty()) {
        if (progress)
            progress(1, 1, QStringLiteral("the search index of this database is already loaded"));
        return {};
    }
    QElapsedTimer timer;
    timer.start();
    auto bulk = bulkLoad(s, session, cancel, progress);
    if (!bulk) {
        Error e = bulk.error();
        if (auto undone = revertAfterCancel(*this, session, cancel, context); !undone) {
            e.message = e.message + QLatin1Char(' ') + undone.error().message;
            e.hint = undone.error().hint;
        }
        return e;
    }
    m_bulkMs.store(double(timer.nsecsElapsed()) / 1e6);
    return {};
}

Status SearchStrategy::revert(PgSession &session, CancelToken *cancel, const ApplyContext &context)
{
    if (auto st = SchemaStrategy::revert(session, cancel, context); !st)
        return st;
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    // PlanSight's own server without an index directory, or no server at all: no document to remove.
    if (!s.config.endpoint.isValid()
        && (s.config.serverRoot.isEmpty() || !QDir(s.config.serverRoot + QStringLiteral("/index")).exists()))
        return {};
    auto failed = [](const Error &e, const QString &hint) {
        return Error::make(e.code,
            QStringLiteral("The outbox and triggers of p10-search are gone, but its documents could not be removed "
                           "from the search index: %1")
                .arg(why(e)),
            QString(), hint);
    };
    auto ep = ensureEndpoint(s);
    if (!ep)
        return failed(ep.error(), QStringLiteral("Start the search server and run: %1").arg(revertCommand(Id)));
    const QString scope = scopeOf(session);
    // PlanSight's own server whose index holds only this database's documents (or none): the directory goes as a
    // whole. Deleting 1.2 million documents through the server (scale 1) outlasted its timeout and left the revert
    // undone. Another database's documents stay, and only this one's are deleted.
    if (!s.config.endpoint.isValid() && s.server) {
        auto only = s.index->holdsOnly(scope);
        if (!only)
            return failed(only.error(), QStringLiteral("Run again: %1").arg(revertCommand(Id)));
        if (*only) {
            s.indexers.erase(session.describe());
            s.index.reset();
            return s.server->removeIndex();
        }
    }
    if (auto st = s.index->removeScope(scope); !st)
        return failed(st.error(), QStringLiteral("Run again: %1").arg(revertCommand(Id)));
    s.indexers.erase(session.describe());
    return {};
}

Result<StrategyStatus> SearchStrategy::status(PgSession &session) const
{
    auto st = SchemaStrategy::status(session);
    if (!st || st->state != StrategyState::Applied)
        return st;
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    auto ep = ensureEndpoint(s);
    if (!ep) {
        st->detail = QStringLiteral("the search index was not checked: %1").arg(ep.error().message);
        return st;
    }
    auto loaded = s.index->metadata(loadedKey(scopeOf(session)));
    if (!loaded) {
        st->detail = QStringLiteral("the search index was not checked: %1").arg(loaded.error().message);
        return st;
    }
    if (loaded->isEmpty()) {
        st->state = StrategyState::Broken;
        st->missing << QStringLiteral("the search index of %1 on %2").arg(session.database(), serverName(s));
        st->detail = QStringLiteral("the outbox and triggers are there, but the search index of this database is not "
                                    "loaded");
    }
    return st;
}

Result<StrategyQuery> SearchStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    const StrategyQuery baseline = baselineQuery(workload);
    auto tally = std::make_shared<RunTally>();
    StrategyQuery q;
    q.noteAfterRuns = [tally] { return afterRunsNote(tally); };
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    auto useBaseline = [&](const Error &e) {
        q.note = QStringLiteral("the search server could not be used, so PostgreSQL (the baseline query) answers: %1")
                     .arg(why(e));
        q.execute = [baseline](PgSession &db) { return baselinePage(db, baseline); };
        return q;
    };
    auto ep = ensureEndpoint(s);
    if (!ep)
        return useBaseline(ep.error());
    SearchRequest request;
    request.scope = scopeOf(session);
    request.workload = workload;
    QStringList notes { QStringLiteral("Xapian (%1) finds the page's ids, PostgreSQL returns their rows; the outbox is "
                                       "drained into the index before each search")
                            .arg(serverName(s)) };
    // Untimed: the index brought up to date, one sync lag probe, the facets, the cursor of a deep page.
    if (auto st = drain(s, session, tally); !st) {
        if (st.error().code == QLatin1String("42P01")) // no outbox: the strategy is not applied in this database
            return useBaseline(Error::make(st.error().code,
                QStringLiteral("p10-search is not applied in this database (plansight strategies apply p10-search)")));
        if (!isSearchServerError(st.error()))
            return st.error();
        return useBaseline(st.error());
    }
    tally->changes = 0;
    tally->maxLagMs = -1;
    if (auto lag = lagProbe(s, session); lag)
        notes << QStringLiteral("sync lag %1 ms from a committed change to its being searchable (one probe)")
                     .arg(*lag, 0, 'f', 1);
    else
        notes << QStringLiteral("sync lag not measured: %1").arg(lag.error().message);
    notes << indexNote(s, request.scope);
    if (auto f = facetsLocked(s, session, workload, FacetTags); f)
        notes << facetNote(session, *f);
    if (workload.byCursor && workload.page > 1) {
        const qint64 position = qint64(workload.offset()) - 1;
        auto cursor = s.index->keyAt(request, position);
        if (!cursor)
            return useBaseline(cursor.error());
        if (cursor->isEmpty()) {
            notes << QStringLiteral("page %1 lies past the last match: paged by offset").arg(workload.page);
        } else {
            request.after = *cursor;
            notes << QStringLiteral("page %1 reached by one seek in the index to the last row of page %2, then a "
                                    "keyset range after it")
                         .arg(workload.page)
                         .arg(workload.page - 1);
        }
    }
    q.note = notes.join(QStringLiteral("; "));
    q.execute = [request, baseline, tally](PgSession &db) { return searchPage(db, request, baseline, tally); };
    return q;
}

std::optional<OutsideStorage> SearchStrategy::outsideStorage(PgSession &) const
{
    SearchState &s = state();
    std::lock_guard lock(s.mutex);
    OutsideStorage o { QStringLiteral("the search index, outside the database") };
    if (!s.config.endpoint.isValid() && s.server)
        o.bytes = s.server->indexBytes(); // PlanSight's own server on the demo: one database's documents
    return o;
}

Result<qint64> SearchStrategy::outsideBytesToBuild(PgSession &session) const
{
    if (searchConfig().endpoint.isValid())
        return qint64(0); // the user's search server, on its own disk
    auto r = session.exec(QStringLiteral(
        "SELECT coalesce(sum(reltuples) FILTER (WHERE oid = 'public.content_tags'::regclass), 0)::bigint, "
        "coalesce(sum(reltuples) FILTER (WHERE oid <> 'public.content_tags'::regclass), 0)::bigint "
        "FROM pg_class WHERE oid IN ('public.content_tags'::regclass, 'public.content_items'::regclass, "
        "'public.content_items_auto'::regclass) AND reltuples > 0"));
    if (!r)
        return r.error();
    return 2 * (r->toLongLong(0, 0) * SearchIndexBytesPerTagRow + r->toLongLong(0, 1) * SearchIndexBytesPerItem);
}

double SearchStrategy::lastBuildMs() const
{
    const double objectsMs = SchemaStrategy::lastBuildMs();
    const double bulkMs = m_bulkMs.load();
    if (objectsMs < 0)
        return bulkMs;
    return objectsMs + std::max(0.0, bulkMs);
}

} // namespace plansight
