"""Views: Joint Boards, one module per area: boards (boards, members, the index, the secretariat's home),
meetings (meetings, agenda, papers, attendance, minutes, actions) and issues (the issues log). Staff of a
member organisation read; the board's secretariat and co-chairs write. The URL table is in `boards/urls.py`."""
