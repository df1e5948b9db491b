# A small reference texts file for the catalogue tests (the real one belongs to the bot).
greeting = Hello, <b>{ $name }</b>!
plain = Nothing to fill in.
progress = Step { $number } of { $total }
link = <a href="https://example.org/{ $page }">more</a> &amp; <i>less</i>
