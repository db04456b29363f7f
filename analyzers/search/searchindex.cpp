#include "search/searchindex.h"

#include "util/processes.h"

#include <xapian.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

namespace plansight {

namespace {

enum Slot : Xapian::valueno { CreatedAt = 0, Id = 1, Source = 2, CreatedKey = 3, QualityKey = 4, ChangeSeq = 5 };
constexpr quint64 SignBit = quint64(1) << 63;
constexpr int KeySize = 17; // 8 bytes of sort value, 8 of id, 1 of source

void appendU64(QByteArray &out, quint64 v)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(char((v >> shift) & 0xff));
}

quint64 readU64(const std::string &s, size_t at)
{
    quint64 v = 0;
    for (size_t i = 0; i < 8; ++i)
        v = (v << 8) | quint64(static_cast<unsigned char>(s[at + i]));
    return v;
}

char sourceByte(const QString &source)
{
    // PostgreSQL orders the source text: 'auto' < 'regular'.
    if (source == QLatin1String("regular"))
        return 2;
    if (source == QLatin1String("auto"))
        return 1;
    return 0;
}

QByteArray finishKey(quint64 primary, qint64 id, const QString &source)
{
    QByteArray k;
    k.reserve(KeySize);
    appendU64(k, primary);
    appendU64(k, quint64(id) ^ SignBit);
    k.append(sourceByte(source));
    return k;
}

std::string str(const QString &s)
{
    return s.toStdString();
}
std::string str(const QByteArray &b)
{
    return std::string(b.constData(), size_t(b.size()));
}

std::string scopeTerm(const QString &scope)
{
    return "S" + str(scope);
}
std::string idTerm(const QString &scope, const QString &source, qint64 id)
{
    return "Q" + str(scope) + ":" + str(source) + ":" + std::to_string(id);
}
std::string sourceTerm(const QString &scope, const QString &source)
{
    return "B" + str(scope) + ":" + str(source);
}
std::string creatorTerm(const QString &scope, const QString &creator)
{
    return "C" + str(scope) + ":" + str(creator.toLower());
}
std::string tagPrefix(const QString &scope)
{
    return "K" + str(scope) + ":";
}

Error fromXapian(const Xapian::Error &e, const SearchEndpoint &at)
{
    // Xapian's errors are not polymorphic: the type's name tells NetworkError and NetworkTimeoutError apart.
    const bool network = std::string(e.get_type()).rfind("Network", 0) == 0;
    return Error::make(network ? errc::Connection : errc::Internal,
        network ? QStringLiteral("The search server (xapian-tcpsrv at %1) did not answer.").arg(at.describe())
                : QStringLiteral("The search server (xapian-tcpsrv at %1) refused the request.").arg(at.describe()),
        QString::fromStdString(e.get_description()));
}

Xapian::Query requestQuery(const SearchRequest &r, Xapian::valueno slot)
{
    const Workload &w = r.workload;
    QStringList tags;
    for (const QString &t : w.tagIds) {
        const QString lower = t.toLower();
        if (!tags.contains(lower))
            tags << lower;
    }
    Xapian::Query tagQuery = Xapian::Query::MatchAll;
    if (!tags.isEmpty()) {
        std::vector<Xapian::Query> parts;
        for (const QString &t : tags)
            parts.emplace_back(tagPrefix(r.scope) + str(t));
        tagQuery = Xapian::Query(
            w.match == TagMatch::All ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
    // Sources: per table, its user kind (creator = user), its community kind (creator <> user), or both.
    std::vector<Xapian::Query> kinds;
    for (const QString &source : { QStringLiteral("regular"), QStringLiteral("auto") }) {
        bool user = false, community = false;
        for (SourceKind k : w.sources) {
            if (sourceValue(k) != source)
                continue;
            (isUserKind(k) ? user : community) = true;
        }
        const Xapian::Query table(sourceTerm(r.scope, source));
        const Xapian::Query creator(creatorTerm(r.scope, w.userId));
        if (user && community)
            kinds.push_back(table);
        else if (user)
            kinds.emplace_back(Xapian::Query::OP_AND, table, creator);
        else if (community)
            kinds.emplace_back(Xapian::Query::OP_AND_NOT, table, creator);
    }
    Xapian::Query filter(Xapian::Query::OP_FILTER, Xapian::Query(scopeTerm(r.scope)),
        Xapian::Query(Xapian::Query::OP_OR, kinds.begin(), kinds.end()));
    if (!r.after.isEmpty()) {
        // Strictly after the cursor: keys are fixed-width, so "< c" is "<= c - 1" and "> c" is ">= c + 1", and the
        // last byte (the source, 1 or 2) never wraps.
        std::string bound = str(r.after);
        if (w.descending)
            bound.back() = char(bound.back() - 1);
        else
            bound.back() = char(bound.back() + 1);
        filter = Xapian::Query(Xapian::Query::OP_FILTER, filter,
            Xapian::Query(w.descending ? Xapian::Query::OP_VALUE_LE : Xapian::Query::OP_VALUE_GE, slot, bound));
    }
    return Xapian::Query(Xapian::Query::OP_FILTER, tagQuery, filter);
}

Xapian::valueno sortSlot(const Workload &w)
{
    return w.sort == SortField::QualityScore ? QualityKey : CreatedKey;
}

} // namespace

QByteArray searchSortKey(const std::optional<qint64> &createdUs, qint64 id, const QString &source)
{
    return finishKey(createdUs ? quint64(*createdUs) ^ SignBit : ~quint64(0), id, source);
}

QByteArray searchSortKey(const std::optional<double> &quality, qint64 id, const QString &source)
{
    quint64 primary = ~quint64(0); // NULL: after every value, as PostgreSQL sorts it
    if (quality) {
        const double q = *quality == 0.0 ? 0.0 : *quality; // -0 equals 0 for PostgreSQL
        const quint64 bits = std::bit_cast<quint64>(q);
        primary = (bits & SignBit) ? ~bits : (bits | SignBit);
    }
    return finishKey(primary, id, source);
}

struct SearchIndex::Impl {
    SearchEndpoint at;
    std::optional<Xapian::Database> reader;
    std::optional<Xapian::WritableDatabase> writer;
    bool pending = false; // the writer holds changes not committed yet (lost with its connection)

    Xapian::Database &read()
    {
        if (reader)
            reader->reopen(); // see what was committed since
        else
            reader = Xapian::Remote::open(str(at.host), unsigned(at.port), 10000, 3000);
        return *reader;
    }
    Xapian::WritableDatabase &write()
    {
        if (!writer)
            writer = Xapian::Remote::open_writable(str(at.host), unsigned(at.port), 60000, 3000);
        return *writer;
    }
    void dropReader()
    {
        try {
            reader.reset();
        } catch (const Xapian::Error &) {
        }
    }
    void dropWriter()
    {
        pending = false;
        try {
            writer.reset(); // a lost server's connection is closed without a commit
        } catch (const Xapian::Error &) {
        }
    }

    // Runs `f` (a read, or a write through the writable connection) with Xapian's exceptions as errors. A connection
    // the server closed while it was idle (xapian-tcpsrv's idle timeout) is opened again once, unless it held changes
    // that were not committed (they went with it: the caller must know).
    template<typename F>
    auto run(bool writes, F &&f) -> Result<decltype(f())>
    {
        SigpipeBlock noSigpipe;
        for (int attempt = 0;; ++attempt) {
            const bool reused = writes ? writer.has_value() : reader.has_value();
            const bool safe = !(writes && pending);
            try {
                return f();
            } catch (const Xapian::NetworkError &e) {
                writes ? dropWriter() : dropReader();
                if (attempt == 0 && reused && safe)
                    continue;
                return fromXapian(e, at);
            } catch (const Xapian::Error &e) {
                writes ? dropWriter() : dropReader();
                return fromXapian(e, at);
            }
        }
    }
};

SearchIndex::SearchIndex(SearchEndpoint endpoint) : d(std::make_unique<Impl>()), m_endpoint(std::move(endpoint))
{
    d->at = m_endpoint;
}

SearchIndex::~SearchIndex()
{
    reset();
}

void SearchIndex::reset()
{
    SigpipeBlock noSigpipe;
    d->dropReader();
    d->dropWriter();
}

namespace {

// The search request as an Enquire on `db`: boolean, sorted by the workload's sort key.
Xapian::Enquire enquire(Xapian::Database &db, const SearchRequest &request)
{
    Xapian::Enquire e(db);
    const Xapian::valueno slot = sortSlot(request.workload);
    e.set_query(requestQuery(request, slot));
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_sort_by_value(slot, request.workload.descending);
    return e;
}

} // namespace

Result<QStringList> SearchIndex::page(const SearchRequest &request, QByteArray *lastKey)
{
    auto r = d->run(false, [&]() -> std::pair<QStringList, std::string> {
        Xapian::Enquire e = enquire(d->read(), request);
        const Xapian::doccount first = request.after.isEmpty() ? Xapian::doccount(request.workload.offset()) : 0;
        const Xapian::MSet mset = e.get_mset(first, Xapian::doccount(request.workload.pageSize));
        QStringList keys;
        std::string last;
        // The sort key carries the id and the source: no document is fetched.
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const std::string key = it.get_sort_key();
            if (key.size() != size_t(KeySize)) {
                keys.clear();
                last.clear();
                keys << QString(); // marks a foreign document
                break;
            }
            const qint64 id = qint64(readU64(key, 8) ^ SignBit);
            const char src = key[16];
            keys << QStringLiteral("%1:%2")
                        .arg(src == 2      ? QStringLiteral("regular")
                                : src == 1 ? QStringLiteral("auto")
                                           : QStringLiteral("?"))
                        .arg(id);
            last = key;
        }
        return { keys, last };
    });
    if (!r)
        return r.error();
    if (r->first.size() == 1 && r->first.first().isEmpty())
        return Error::make(errc::Internal,
            QStringLiteral("The search server (xapian-tcpsrv at %1) holds a document without PlanSight's sort key.")
                .arg(m_endpoint.describe()),
            QString(), QStringLiteral("Apply p10-search again to rebuild the index."));
    if (lastKey)
        *lastKey = QByteArray(r->second.data(), qsizetype(r->second.size()));
    return r->first;
}

Result<QByteArray> SearchIndex::keyAt(const SearchRequest &request, qint64 position)
{
    return d->run(false, [&]() -> QByteArray {
        Xapian::Enquire e = enquire(d->read(), request);
        const Xapian::MSet mset = e.get_mset(Xapian::doccount(position), 1);
        if (mset.empty())
            return QByteArray();
        const std::string key = mset.begin().get_sort_key();
        return QByteArray(key.data(), qsizetype(key.size()));
    });
}

Result<SearchFacets> SearchIndex::facets(const SearchRequest &request, int topTags)
{
    return d->run(false, [&]() -> SearchFacets {
        Xapian::Database &db = d->read();
        Xapian::Enquire e = enquire(db, request);
        Xapian::ValueCountMatchSpy spy(Source);
        e.add_matchspy(&spy);
        // check_at_least = every document: the counts are exact, not estimates.
        const Xapian::MSet mset = e.get_mset(0, 0, db.get_doccount());
        SearchFacets f;
        f.matches = qint64(mset.get_matches_estimated());
        for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
            f.sources.append(QPair<QString, qint64>(QString::fromStdString(*it), qint64(it.get_termfreq())));
        const std::string prefix = tagPrefix(request.scope);
        for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
            f.tags.append(
                QPair<QString, qint64>(QString::fromStdString((*it).substr(prefix.size())), qint64(it.get_termfreq())));
        std::stable_sort(
            f.tags.begin(), f.tags.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        if (f.tags.size() > topTags)
            f.tags.resize(topTags);
        return f;
    });
}

Status SearchIndex::put(const QString &scope, const QList<SearchItem> &items)
{
    auto r = d->run(true, [&] {
        Xapian::WritableDatabase &db = d->write();
        for (const SearchItem &item : items) {
            Xapian::Document doc;
            doc.set_data(str(item.source) + ":" + std::to_string(item.id));
            const std::string unique = idTerm(scope, item.source, item.id);
            doc.add_boolean_term(scopeTerm(scope));
            doc.add_boolean_term(unique);
            doc.add_boolean_term(sourceTerm(scope, item.source));
            if (!item.creatorId.isEmpty())
                doc.add_boolean_term(creatorTerm(scope, item.creatorId));
            for (const QString &t : item.tagIds)
                doc.add_boolean_term(tagPrefix(scope) + str(t.toLower()));
            if (item.createdUs)
                doc.add_value(CreatedAt, Xapian::sortable_serialise(double(*item.createdUs)));
            doc.add_value(Id, Xapian::sortable_serialise(double(item.id)));
            doc.add_value(Source, str(item.source));
            doc.add_value(CreatedKey, str(searchSortKey(item.createdUs, item.id, item.source)));
            doc.add_value(QualityKey, str(searchSortKey(item.quality, item.id, item.source)));
            doc.add_value(ChangeSeq, Xapian::sortable_serialise(double(item.changeSeq)));
            db.replace_document(unique, doc);
            d->pending = true;
        }
        return true;
    });
    if (!r)
        return r.error();
    return {};
}

Status SearchIndex::remove(const QString &scope, const QString &source, qint64 id)
{
    auto r = d->run(true, [&] {
        d->write().delete_document(idTerm(scope, source, id));
        d->pending = true;
        return true;
    });
    if (!r)
        return r.error();
    return {};
}

Status SearchIndex::removeScope(const QString &scope)
{
    auto r = d->run(true, [&] {
        Xapian::WritableDatabase &db = d->write();
        db.delete_document(scopeTerm(scope));
        d->pending = true;
        const std::string prefix = "ps:" + str(scope) + ":";
        std::vector<std::string> keys;
        for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
            keys.push_back(*it);
        for (const std::string &k : keys)
            db.set_metadata(k, std::string());
        db.commit();
        d->pending = false;
        return true;
    });
    if (!r)
        return r.error();
    return {};
}

Status SearchIndex::commit()
{
    auto r = d->run(true, [&] {
        if (d->writer) {
            d->writer->commit();
            d->pending = false;
        }
        return true;
    });
    if (!r)
        return r.error();
    return {};
}

Status SearchIndex::setMetadata(const QString &key, const QString &value)
{
    auto r = d->run(true, [&] {
        d->write().set_metadata(str(key), str(value));
        d->pending = true;
        return true;
    });
    if (!r)
        return r.error();
    return {};
}

Result<QString> SearchIndex::metadata(const QString &key)
{
    return d->run(false, [&] { return QString::fromStdString(d->read().get_metadata(str(key))); });
}

Result<qint64> SearchIndex::count(const QString &scope)
{
    return d->run(false, [&] { return qint64(d->read().get_termfreq(scopeTerm(scope))); });
}

Result<qint64> SearchIndex::changeSeq(const QString &scope, const QString &source, qint64 id)
{
    return d->run(false, [&]() -> qint64 {
        Xapian::Database &db = d->read();
        const std::string term = idTerm(scope, source, id);
        auto it = db.postlist_begin(term);
        if (it == db.postlist_end(term))
            return -1;
        return qint64(Xapian::sortable_unserialise(db.get_document(*it).get_value(ChangeSeq)));
    });
}

Result<bool> SearchIndex::holdsOnly(const QString &scope)
{
    return d->run(false, [&] {
        Xapian::Database &db = d->read();
        return db.get_termfreq(scopeTerm(scope)) == db.get_doccount();
    });
}

} // namespace plansight
