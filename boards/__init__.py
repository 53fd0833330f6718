"""Joint Boards, meetings, actions and the issues log (issue: boards). Not built yet."""
