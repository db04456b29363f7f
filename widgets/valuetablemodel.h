#pragma once

// A read-only table of plain values for the views' simple listings (catalog tables, indexes, tags, session
// comparisons): each cell has its display text and a sort value. Rows are swapped in whole.
//
// Threading: GUI thread.

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>
#include <QVariant>

namespace plansight::gui {

class ValueTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole, KeyRole };
    struct Cell {
        QString text;
        QVariant sort; // the raw value; the text when invalid
        QColor foreground; // invalid: the palette's
        QString toolTip;
    };
    struct Row {
        QList<Cell> cells;
        QVariant key; // what the row stands for (a session id, a table name)
        bool bold = false;
    };

    explicit ValueTableModel(const QStringList &headers, QObject *parent = nullptr);
    void setRows(const QList<Row> &rows);
    const QList<Row> &rows() const { return m_rows; }
    void setNumericColumns(const QList<int> &columns) { m_numeric = columns; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static Cell text(const QString &t) { return Cell { t, {}, {}, {} }; }
    static Cell number(const QString &t, double v) { return Cell { t, v, {}, {} }; }

private:
    QStringList m_headers;
    QList<Row> m_rows;
    QList<int> m_numeric;
};

} // namespace plansight::gui
