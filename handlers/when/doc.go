// Package when reads the time expressions residents and captains type in
// everyday Chinese — 周五晚上8点, 明天中午, 下周一, 3天内, 月底, 12.5, 2026年12月5日
// 下午3点, 周五前 — and the periods #统计 takes (本月, 上个月, 本季度, 近30天).
//
// Every time is read in the community's zone, whatever the server's zone. The
// rules (how a bare hour, a part of the day, a weekday that has passed or a date
// without a year are read) are in docs/time-expressions.md; the table tests in
// this package are their executable form.
package when
