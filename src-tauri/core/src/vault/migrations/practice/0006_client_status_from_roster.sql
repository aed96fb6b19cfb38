-- Client status now follows the roster (active while enrolled or waiting,
-- discharged when the last enrollment ends). Bring existing clients in line
-- once; a status set by hand since stays until the next roster change.
UPDATE clients SET status = 'active'
 WHERE status = 'prospect'
   AND EXISTS (SELECT 1 FROM enrollments e
                WHERE e.client_id = clients.id AND e.status IN ('active', 'waitlisted'));

UPDATE clients SET status = 'discharged'
 WHERE status IN ('prospect', 'active')
   AND EXISTS (SELECT 1 FROM enrollments e WHERE e.client_id = clients.id)
   AND NOT EXISTS (SELECT 1 FROM enrollments e
                    WHERE e.client_id = clients.id AND e.status IN ('active', 'waitlisted'));
