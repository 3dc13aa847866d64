"""What a published site needs besides pages: sitemap, feeds, robots.txt, redirects."""
